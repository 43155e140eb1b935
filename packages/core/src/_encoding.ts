// Public names of the encoding, request and chunking modules (re-exported by mod.ts).
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
