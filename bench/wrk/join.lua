-- POST /api/v1/waiting-room/join, each request as another resident (voucher + birth date).
-- WRK_JOINERS names a file of lines "voucher<TAB>birthDate<TAB>address"; thread t of n takes lines t, t+n, …
-- The address goes in X-Forwarded-For (the server trusts loopback as its proxy): residents arrive
-- from many addresses, as on opening night, and the per-address limits count each one's own.
-- and never sends a line twice (a thread that runs out sends a plain GET of /api/health, counted apart).
package.path = os.getenv('WRK_LUA_DIR') .. '/?.lua;' .. package.path
require('report')

local counter = 0
function setup(thread)
  thread:set('id', counter)
  counter = counter + 1
end

local lines = {}
local nextLine = 1
function init(args)
  local total = tonumber(os.getenv('WRK_THREADS'))
  local municipality = os.getenv('WRK_MUNICIPALITY')
  local i = 0
  for line in io.lines(os.getenv('WRK_JOINERS')) do
    if i % total == id then
      local voucher, birth, address = line:match('([^\t]+)\t([^\t]+)\t([^\t]+)')
      table.insert(lines, wrk.format('POST', '/api/v1/waiting-room/join', { ['content-type'] = 'application/json', ['x-forwarded-for'] = address },
        '{"municipalityCode":"' .. municipality .. '","voucherNumber":"' .. voucher .. '","birthDate":"' .. birth .. '"}'))
    end
    i = i + 1
  end
end

function request()
  local r = lines[nextLine]
  if r == nil then return wrk.format('GET', '/api/health') end
  nextLine = nextLine + 1
  return r
end
