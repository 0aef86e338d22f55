-- POST /api/v1/reservations, each request as another signed-in resident.
-- WRK_SESSIONS names a file of lines "cookie<TAB>csrf<TAB>slotId"; thread t of n takes lines t, t+n, …
package.path = os.getenv('WRK_LUA_DIR') .. '/?.lua;' .. package.path
require('report')

local threads = {}
local counter = 0
function setup(thread)
  thread:set('id', counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local lines = {}
local nextLine = 1
function init(args)
  local total = tonumber(os.getenv('WRK_THREADS'))
  local i = 0
  for line in io.lines(os.getenv('WRK_SESSIONS')) do
    if i % total == id then table.insert(lines, line) end
    i = i + 1
  end
end

function request()
  local line = lines[nextLine]
  nextLine = nextLine + 1
  if nextLine > #lines then nextLine = 1 end
  local cookie, csrf, slot = line:match('([^\t]+)\t([^\t]+)\t([^\t]+)')
  return wrk.format('POST', '/api/v1/reservations', {
    ['content-type'] = 'application/json',
    ['cookie'] = 'yoyaku_session=' .. cookie,
    ['x-csrf-token'] = csrf,
  }, '{"slotId":' .. slot .. '}')
end
