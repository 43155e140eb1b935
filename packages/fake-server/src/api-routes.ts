import {
  type Activity,
  type ActivityErrorsShape,
  API_ID_ROOT,
  type AtomSource,
  activityUri,
  exportFileUri,
  renderActivityEntry,
  renderActivityFeed,
  renderServiceDocument,
} from "@ctct-bulk/core";
import type { Context, Hono } from "hono";
import { authenticate, WWW_AUTHENTICATE } from "./_auth.ts";
import {
  ATOM_SERVICE_CONTENT_TYPE,
  textError,
  UNSUPPORTED_METHODS,
  xmlResponse,
} from "./_responses.ts";
import type { ActivityWork, FakeActivity } from "./activity-work.ts";
import { createActivity } from "./create-activity.ts";
import { listRoutes } from "./list-routes.ts";
import type { RecordedRequest } from "./requests-log.ts";
import type { ServerState } from "./server-state.ts";
import type { AccountState } from "./state.ts";

/** The Hono environment of the fake server's routes. */
export interface FakeEnv {
  Variables: {
    account: AccountState<FakeActivity>;
    record: RecordedRequest;
    failJob: boolean;
  };
}

/** Settings the API routes read. */
export interface ApiSettings {
  /** Entries per page of `GET /activities` (50, as the real API). */
  pageSize: number;
  /** The most bytes of encoded `data` (or of a `dataFile`) an activity takes: 1,900,000. */
  maxDataBytes: number;
  /** How activities' `Errors` are written. */
  errorsShape: ActivityErrorsShape;
}

const iso = (time: number | undefined): string | undefined =>
  time === undefined ? undefined : new Date(time).toISOString();

/** The path of an account's resources, as links write it (`/ws/customers/{username}`). */
export function accountPath(username: string): string {
  return `/ws/customers/${username}`;
}

/**
 * An activity as core's XML writers take it.
 *
 * @param activity The stored activity.
 * @returns The core `Activity`.
 */
export function toCoreActivity(activity: FakeActivity): Activity {
  const { username, id } = activity;
  const core: Activity = {
    uri: activityUri(username, id),
    id,
    type: activity.type,
    status: activity.status,
    fileName: activity.fileName,
    transactionCount: activity.transactionCount,
    errors: activity.errors.map((error) => ({ ...error })),
    errorCount: activity.errors.length,
    insertTime: iso(activity.insertTime),
    runStartTime: iso(activity.runStartTime),
    runFinishTime: iso(activity.runFinishTime),
    updated: iso(activity.updated),
    editLink: `${accountPath(username)}/activities/${id}`,
  };
  if (activity.exportFile !== undefined) {
    const fileUri = exportFileUri(username, id, activity.exportFile.fileType);
    core.editMediaLink = fileUri;
    core.title = `EXPORT_CONTACTS: ${fileUri}`;
  }
  return core;
}

function activitiesSource(username: string, now: number): AtomSource {
  return {
    id: `${API_ID_ROOT}/${username}/activities`,
    title: "Bulk Activity",
    author: username,
    updated: new Date(now).toISOString(),
    alternateLink: "",
    selfLink: "",
  };
}

/**
 * Registers the API's routes (`/ws/customers/{username}/…`) on an app: authentication, the
 * service document, activities and lists.
 *
 * @param app The app.
 * @param state The server state.
 * @param settings Paging, size limit, errors shape.
 */
export function apiRoutes(
  app: Hono<FakeEnv>,
  state: ServerState<ActivityWork>,
  settings: ApiSettings,
): void {
  const base = "/ws/customers/:username";

  const requireAuth = async (c: Context<FakeEnv>, next: () => Promise<void>) => {
    const result = authenticate(
      c.req.header("authorization"),
      (username) => state.account(username)?.account,
      (token) => state.accountByToken(token)?.account,
    );
    const record = c.get("record");
    record.auth = result.scheme;
    if (result.account === undefined) {
      return textError(
        401,
        result.scheme === "none"
          ? "Unauthorized: this resource needs credentials (Basic {API key}%{username} and password, or a Bearer token)"
          : result.missingUsername
            ? // The user is not echoed: it is (or holds) the API key.
              'Unauthorized: the Basic user must be {API key}%{username} (it has no "%")'
            : "Unauthorized: the credentials are not valid",
        { "www-authenticate": WWW_AUTHENTICATE },
      );
    }
    record.username = result.account.username;
    const pathUser = c.req.param("username") ?? "";
    if (pathUser.toLowerCase() !== result.account.username.toLowerCase()) {
      return textError(
        403,
        `Forbidden: the credentials of "${result.account.username}" do not give access to "${pathUser}"`,
      );
    }
    state.catchUp();
    c.set("account", state.requireAccount(result.account.username));
    await next();
    return undefined;
  };
  app.use(base, requireAuth);
  app.use(`${base}/*`, requireAuth);

  const serviceDocument = (c: Context<FakeEnv>) =>
    xmlResponse(
      renderServiceDocument(c.get("account").account.username),
      ATOM_SERVICE_CONTENT_TYPE,
    );
  app.get(base, serviceDocument);
  app.get(`${base}/`, serviceDocument);
  app.on([...UNSUPPORTED_METHODS], [base, `${base}/`], () =>
    textError(405, "Method not allowed on the service document: use GET", { allow: "GET" }),
  );

  listRoutes(app, state, base);

  app.get(`${base}/activities`, (c) => {
    const account = c.get("account");
    const { username } = account.account;
    const now = state.now();
    const visible = account.activities.filter((activity) => !state.isExpired(activity)).reverse();
    const token = c.req.query("next");
    let start = 0;
    if (token !== undefined) {
      start = visible.findIndex((activity) => activity.id === token);
      if (start < 0) return textError(400, `Invalid next token "${token}": no such page`);
    }
    const page = visible.slice(start, start + settings.pageSize);
    const following = visible[start + settings.pageSize];
    const collectionPath = `${accountPath(username)}/activities`;
    const feed = {
      id: `${API_ID_ROOT}/${username}/activities`,
      title: "Bulk Activity",
      author: username,
      updated: new Date(now).toISOString(),
      alternateLink: "",
      selfLink: "",
      entries: page.map(toCoreActivity),
      ...(following === undefined
        ? {
            firstLink: collectionPath,
            currentLink: token === undefined ? collectionPath : `${collectionPath}?next=${token}`,
          }
        : { nextLink: `${collectionPath}?next=${following.id}` }),
    };
    return xmlResponse(renderActivityFeed(feed, { errorsShape: settings.errorsShape }));
  });

  app.post(`${base}/activities`, (c) => createActivity(c, state, settings));

  app.on(
    UNSUPPORTED_METHODS.filter((method) => method !== "POST"),
    `${base}/activities`,
    () =>
      textError(405, "Method not allowed on the activities collection: use GET or POST", {
        allow: "GET, POST",
      }),
  );

  app.get(`${base}/activities/:name`, (c) => {
    const account = c.get("account");
    const name = c.req.param("name");
    const match = /^([^.]+)(?:\.(csv|txt))?$/i.exec(name);
    const activity = match ? account.activitiesById.get(match[1]!) : undefined;
    if (activity === undefined || state.isExpired(activity))
      return textError(404, `Activity not found: "${name}" is unknown or has expired`);
    const extension = match?.[2]?.toUpperCase();
    if (extension !== undefined) {
      const file = activity.exportFile;
      if (file === undefined || file.fileType !== extension)
        return textError(
          404,
          `Export file not found: "${name}" is not the file of a completed export`,
        );
      // Streamed a piece at a time: the whole file may be longer than one string can be.
      const encoder = new TextEncoder();
      let next = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          const piece = file.pieces[next++];
          if (piece === undefined) controller.close();
          else controller.enqueue(encoder.encode(piece));
        },
      });
      return new Response(body, {
        headers: {
          "content-type": `${file.fileType === "CSV" ? "text/csv" : "text/plain"}; charset=utf-8`,
        },
      });
    }
    return xmlResponse(
      renderActivityEntry(toCoreActivity(activity), {
        source: activitiesSource(account.account.username, state.now()),
        errorsShape: settings.errorsShape,
      }),
    );
  });

  app.on([...UNSUPPORTED_METHODS], `${base}/activities/:name`, (c) => {
    const method = c.req.method;
    return textError(
      405,
      method === "DELETE"
        ? "Activity deletes are not currently permitted"
        : method === "OPTIONS"
          ? "Method not allowed on an activity: use GET"
          : "Activity updates are not currently permitted",
      { allow: "GET" },
    );
  });
}
