// Entry point: connects MongoDB and Redis, creates the indexes, then listens on $PORT; stops on SIGTERM.
const http = require('node:http');
const { connect, close } = require('./db');
const { app } = require('./app');

connect()
  .then(() => {
    const server = http.createServer(app).listen(Number(process.env.PORT), '0.0.0.0');
    process.on('SIGTERM', () => server.close(() => close().finally(() => process.exit(0))));
  })
  .catch((err) => {
    console.error('start-up failed:', err);
    process.exit(1);
  });
