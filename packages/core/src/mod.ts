/**
 * `@ctct-bulk/core`: the pure heart of ctct-bulk. Everything Constant Contact's Bulk Activities
 * API decides, with no I/O, so that the client, the CLI, the webhook service and the fake server
 * agree byte for byte:
 *
 * - the vocabulary: activity types and statuses, the contact columns, list and activity URIs;
 * - contact files: a streaming CSV/TXT reader that keeps every row's source line, and the writer;
 * - validation worded like the server's per-line `Errors`, offline;
 * - `application/x-www-form-urlencoded` and `multipart/form-data`, both ways, and the activity
 *   requests built on them;
 * - the chunker that packs any number of rows into requests under the API's 1.9 MB limit;
 * - the XML mapping of the API's Atom documents, both ways.
 *
 * It imports no `node:` module and reads no clock or randomness it is not handed: it runs on
 * Node, Deno, Bun and in browsers.
 *
 * @example Encode the seed's three contacts for two lists
 * ```ts
 * import { encodeFormBody, listUri } from "@ctct-bulk/core";
 * const body = encodeFormBody([
 *   ["activityType", "SV_ADD"],
 *   ["data", "EMAIL ADDRESS,FIRST NAME\nwstest3@example.com,Fred"],
 *   ["lists", listUri("joesflowers", "2")],
 * ]);
 * body.startsWith("activityType=SV_ADD&data=EMAIL+ADDRESS%2CFIRST+NAME%0Awstest3%40example.com"); // true
 * ```
 *
 * @module
 */

// The XML mapping.
export type { XmlParseOptions } from "./_xml-reader.ts";
// The vocabulary, contact files and validation.
export {
  ACTIVITY_STATUSES,
  ACTIVITY_TYPES,
  type ActivityStatus,
  type ActivityType,
  ADD_ACTIVITY_TYPES,
  decideAddType,
  isActivityStatus,
  isActivityType,
  isFinalStatus,
  isRequestedActivityType,
  REQUESTED_ACTIVITY_TYPES,
  type RequestedActivityType,
  reportedActivityType,
} from "./activity.ts";
// Form encodings, activity requests and the chunker.
export {
  type ActivityRequest,
  ADD_REQUEST_TYPES,
  type AddContactsRequest,
  type AddRequestType,
  activityRequestFile,
  activityRequestParams,
  type ClearListsRequest,
  type ContactPayload,
  type ContactUpload,
  contactFileContentType,
  DATA_FILE_FIELD,
  type EncodeActivityRequestOptions,
  EXPORT_FILE_TYPES,
  EXPORT_SORT_ORDERS,
  type ExportContactsRequest,
  type ExportFileType,
  type ExportSortOrder,
  encodeActivityRequest,
  type ParseActivityRequestOptions,
  parseActivityRequest,
  type RemoveContactsRequest,
  validateActivityRequest,
} from "./activity-request.ts";
export { ActivityRequestError } from "./activity-request-error.ts";
export { ChunkBodyWriter } from "./chunk-body.ts";
export { ChunkBufferPool } from "./chunk-buffers.ts";
export {
  type ChunkOptions,
  type ChunkRequest,
  type ContactChunk,
  chunkContactRows,
  createChunkStream,
  DEFAULT_MAX_ENCODED_BYTES,
  encodeChunkBody,
  rowTooLarge,
} from "./chunker.ts";
export {
  CONTACT_COLUMNS,
  type ContactColumn,
  EXPORT_COLUMNS,
  EXPORT_OPTION_COLUMNS,
  type ExportOptionColumn,
  findContactColumn,
  findExportOptionColumn,
  isIgnoredColumn,
  nearestContactColumn,
} from "./columns.ts";
export {
  type ContactDelimiter,
  ContactFileError,
  type ContactFileErrorOptions,
  type ContactHeader,
  type ContactRow,
  type ContactSource,
  type ContactTable,
  formatContactLine,
  type OpenContactFileOptions,
  openContactFile,
} from "./contact-file.ts";
export { FormBodyError } from "./form-body-error.ts";
export {
  decodeFormBody,
  encodeFormBody,
  encodeFormBodyBytes,
  encodeFormComponent,
  encodeFormComponentBytes,
  FORM_URLENCODED_CONTENT_TYPE,
  type FormBodyPart,
  type FormParams,
  formEncodedLength,
  type PreEncodedFormValue,
} from "./form-urlencoded.ts";
export {
  createMultipartBoundary,
  type DecodedMultipartBody,
  type DecodedMultipartFile,
  type DecodeMultipartOptions,
  decodeMultipartBody,
  encodeMultipartBody,
  type MultipartFile,
  multipartContentType,
  toFormData,
} from "./multipart.ts";
export { RowTooLargeError } from "./row-too-large-error.ts";
export {
  API_BASE_URL,
  API_ID_ROOT,
  accountUri,
  activityUri,
  createActivityId,
  exportFileUri,
  isActivityId,
  isClearableList,
  isUsername,
  listUri,
  type ParsedListUri,
  parseActivityUri,
  parseListUri,
  requestUrl,
  SYSTEM_LISTS,
  type SystemList,
  UNCLEARABLE_LIST_NAMES,
} from "./uris.ts";
export {
  type Diagnostic,
  isUsCanadianRegion,
  isValidEmailAddress,
  SMALL_BATCH_THRESHOLD,
  smallBatchWarning,
  type ValidateContactRowOptions,
  type ValidateHeaderOptions,
  validateContactRow,
  validateContactTable,
  validateHeader,
} from "./validation.ts";
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
