// The README's main job. Grows with the packages: today it starts the embedded fake server in
// process and checks it answers.
import { createFakeServer } from "@ctct-bulk/fake-server";

const server = createFakeServer();
const response = await server.fetch("http://fake.test/_fake/health");
console.log(`fake server in process: ${response.status} ${await response.text()}`);
