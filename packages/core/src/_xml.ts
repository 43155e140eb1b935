// Public names of the XML mapping modules (re-exported by mod.ts).

export type { XmlParseOptions } from "./_xml-reader.ts";
export type {
  Activity,
  ActivityEntry,
  ActivityErrorsShape,
  ActivityFeed,
  ActivityLineError,
  MinimalEntry,
  RenderActivityEntryOptions,
  RenderActivityOptions,
} from "./xml.ts";
export {
  activityFeedPageLinks,
  parseActivityEntry,
  parseActivityFeed,
  parseMinimalEntry,
  renderActivityEntry,
  renderActivityFeed,
  renderMinimalEntry,
} from "./xml.ts";
export type { AtomFeedInfo, AtomSource } from "./xml-atom.ts";
export type {
  ContactList,
  ContactListEntry,
  ContactListFeed,
  ContactListMember,
  ContactListMembersFeed,
} from "./xml-contact-list.ts";
export {
  parseContactListEntry,
  parseContactListFeed,
  parseContactListMembersFeed,
  renderContactListEntry,
  renderContactListFeed,
  renderContactListMembersFeed,
} from "./xml-contact-list.ts";
export { XmlEntityError } from "./xml-entity-error.ts";
export { XmlError } from "./xml-error.ts";
export type { ServiceCollection, ServiceDocument } from "./xml-service-document.ts";
export { parseServiceDocument, renderServiceDocument } from "./xml-service-document.ts";
