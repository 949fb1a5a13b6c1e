// Floor of bench-create: the least a Bun-compiled program can do for the same result,
// one fetch POSTing the client and printing the answer, with nothing of hydractl around it.
const response = await fetch(`${process.argv[2]}/clients`, {
  method: "POST",
  headers: { "Content-Type": "application/json", Accept: "application/json" },
  body: process.argv[3],
});
const client = (await response.json()) as { client_id: string; client_secret?: string };
console.log(`OAuth 2.0 Client ID: ${client.client_id}\nOAuth 2.0 Client Secret: ${client.client_secret}`);
