// Keeps a list in step with a source of truth, in the order the API needs: remove the contacts who
// left, wait, then clear a staging list and wait for the clear before adding anything to it again
// (contacts added while a clear runs may be cleared too).
//
//   node examples/sdk-list-maintenance.ts
import { connect } from "./connect.ts";

const { client, fake } = connect();
const members = ["ann", "bob", "cho", "dee", "eve"].map((name) => `${name}@example.com`);
if (fake) {
  fake.control.addContacts(members.map((email) => ({ email, lists: [2, 3] })));
}

// 1. Two people unsubscribed from the VIP list (2).
const removal = await client.activities.removeContacts(
  ["EMAIL ADDRESS", "bob@example.com", "eve@example.com"].join("\n"),
  { lists: ["VIP customers"] },
);
const removed = await client.activities.wait(removal);
console.log(`remove: ${removed.outcome}`);

// 2. Clear the staging list (3), and wait: an add sent before the clear has run could be cleared.
const clear = await client.activities.clearLists([3]);
const cleared = await client.activities.wait(clear);
console.log(`clear: ${cleared.outcome}`);

// 3. Refill the staging list.
const refill = await client.activities.addContacts(
  ["EMAIL ADDRESS,FIRST NAME", "fay@example.com,Fay", "gus@example.com,Gus"].join("\n"),
  { lists: [3] },
);
const refilled = await client.activities.wait(refill);
console.log(`add: ${refilled.outcome}`);

// Every activity of this run, newest first, as the account shows them.
let shown = 0;
for await (const activity of client.activities.list()) {
  console.log(`${activity.type} ${activity.status}`);
  if (++shown === 3) break;
}
if (fake) {
  const vip = fake.control.members(2).map((member) => member.email);
  const staging = fake.control.members(3).map((member) => member.email);
  console.log(`VIP customers: ${vip.join(", ")}`);
  console.log(`Monthly newsletter: ${staging.join(", ")}`);
}
