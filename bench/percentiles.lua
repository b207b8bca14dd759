-- wrk prints the median, 95th percentile and request count on its last line, in
-- microseconds, for bench/pages.py to read.
done = function(summary, latency, requests)
  io.write(string.format("percentiles %d %d %d\n",
    latency:percentile(50), latency:percentile(95), summary.requests))
end
