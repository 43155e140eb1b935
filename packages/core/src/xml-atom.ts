/**
 * What an Atom feed says about itself (`GET /activities`, `GET /lists`, a list's members): the
 * collection's URI, title, author and update time, and its links. Links are as written (often an
 * absolute path such as `/ws/customers/joesflowers/activities?next=…`): resolve them against the
 * request URI. An empty `<link href="" />` reads as no link.
 */
export interface AtomFeedInfo {
  /** The collection's URI (`http://api.constantcontact.com/ws/customers/{username}/activities`). */
  id: string;
  /** `<title type="text">`, e.g. `Bulk Activity`. */
  title: string;
  /** `<author><name>`: the account's username. */
  author: string;
  /** `<updated>`, as an ISO 8601 string in UTC. */
  updated?: string | undefined;
  /** The `<link>` without `rel`. */
  alternateLink?: string | undefined;
  /** `<link rel="self">`. */
  selfLink?: string | undefined;
  /** `<link rel="first">`: the first page (the API writes it on the last page). */
  firstLink?: string | undefined;
  /** `<link rel="current">`: this page (the API writes it on the last page). */
  currentLink?: string | undefined;
  /** `<link rel="next">`: the next page; absent on the last page. */
  nextLink?: string | undefined;
}

/**
 * The `<source>` of an entry fetched alone: what the feed it belongs to says about itself.
 */
export interface AtomSource {
  /** The collection's URI. */
  id: string;
  /** The collection's title (`Bulk Activity`, `Activity Collection for customer: joesflowers`). */
  title: string;
  /** `<author><name>`: the account's username. */
  author: string;
  /** `<updated>`, as an ISO 8601 string in UTC. */
  updated?: string | undefined;
  /** The `<link>` without `rel`. */
  alternateLink?: string | undefined;
  /** `<link rel="self">`. */
  selfLink?: string | undefined;
}
