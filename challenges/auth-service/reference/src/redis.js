'use strict';
const { Redis } = require('ioredis');

const redis = new Redis(process.env.REDIS_URL, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
redis.on('error', (err) => console.error('redis:', err.message));

module.exports = { redis };
