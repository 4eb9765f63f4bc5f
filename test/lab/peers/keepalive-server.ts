/** Node's own HTTP server with a short keep-alive timeout (server.keepAliveTimeout, 5 s by default):
 * the server itself closes a keep-alive connection that stayed idle that long. */
import http from 'node:http';
import { endAfter, num, ready, text } from './peer-args';

endAfter();
const server = http.createServer((_req, res) => { res.end('HelloWorld!'); });
server.keepAliveTimeout = num('keepalive-timeout-ms');
server.listen(num('port'), text('host'), ready);
