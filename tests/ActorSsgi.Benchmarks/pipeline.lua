-- HTTP/1.1 pipelining for wrk: each write carries N copies of the request (N = first script argument,
-- e.g. "wrk ... -s pipeline.lua URL -- 16"). This is the TechEmpower plaintext set-up; it measures the
-- server's per-request cost rather than the loopback round trip.
init = function(args)
   local depth = tonumber(args[1]) or 1
   local requests = {}
   for i = 1, depth do
      requests[i] = wrk.format()
   end
   pipelined = table.concat(requests)
end

request = function()
   return pipelined
end
