// Stands in for Hydra's admin API in bench-create: answers POST /clients with the client.
// A process of its own, so the benchmark's synchronous spawns cannot stall it.
const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  async fetch(request) {
    const body = (await request.json()) as Record<string, unknown>;
    return Response.json({ ...body, client_id: "bench", client_secret: "bench-secret-0123456789" }, { status: 201 });
  },
});
console.log(server.port);
