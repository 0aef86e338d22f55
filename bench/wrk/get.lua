-- Plain GET of the URL's path, with the shared report.
package.path = os.getenv('WRK_LUA_DIR') .. '/?.lua;' .. package.path
require('report')
