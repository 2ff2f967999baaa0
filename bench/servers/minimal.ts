// The smallest HTTP server that answers the ingest route: the fixed cost every client pays.
import { createServer } from 'node:http';

const response = JSON.stringify({
  success: true,
  careos_lead_id: 'lead_01jdbench000000000000000000',
  careos_user_id: 'user_01jdbench000000000000000000',
  careos_will_contact: true,
  is_new_user: true,
});

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(response) });
    res.end(response);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  console.log(`LISTENING http://127.0.0.1:${port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
