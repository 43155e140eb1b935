// The baseline the client is measured against: one chunk's body, encoded by core beforehand,
// POSTed with a plain fetch() (Basic auth, form-urlencoded) and its answer read. Shared by
// big-import.bench.ts, _import-child.ts and _request-gaps.ts.

/** The fake server's account, as spawnFakeServer() gives it. */
export interface BenchAccount {
  username: string;
  apiKey: string;
  password: string;
}

/** A function that uploads one encoded body to `url`'s activities and throws unless it is 201. */
export function plainUploader(
  url: string,
  account: BenchAccount,
): (body: Uint8Array) => Promise<void> {
  const authorization = `Basic ${btoa(`${account.apiKey}%${account.username}:${account.password}`)}`;
  const activities = `${url}/${account.username}/activities`;
  return async (body) => {
    const response = await fetch(activities, {
      method: "POST",
      headers: { authorization, "content-type": "application/x-www-form-urlencoded" },
      body: body as BodyInit,
    });
    if (response.status !== 201) throw new Error(`Baseline POST answered ${response.status}`);
    await response.arrayBuffer();
  };
}
