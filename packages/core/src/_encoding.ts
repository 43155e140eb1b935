// Public names of the encoding, request and chunking modules (re-exported by mod.ts).

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
export {
  type ChunkOptions,
  type ChunkRequest,
  type ContactChunk,
  chunkContactRows,
  createChunkStream,
  DEFAULT_MAX_ENCODED_BYTES,
  encodeChunkBody,
} from "./chunker.ts";
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
