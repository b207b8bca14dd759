import pytest

from portal.urls import safe_next_path


@pytest.mark.parametrize("value", ["/home", "/opportunities?kind=outgoing", "/a/b#c"])
def test_paths_on_this_site_are_kept(value):
    assert safe_next_path(value) == value


@pytest.mark.parametrize("value", [
    None, "", "home", "https://evil.example/", "//evil.example", "/\\evil.example",
    "\\\\evil.example", "javascript:alert(1)", "/\x00x", "http:/evil.example",
])
def test_anything_else_goes_home(value):
    assert safe_next_path(value) == "/"
