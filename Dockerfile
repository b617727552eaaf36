# Image of the API and runner processes for docker-compose.yml (a machine with a registry).
FROM node:22-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends debootstrap ca-certificates && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/stackgrade
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
