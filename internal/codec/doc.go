// Package codec holds the fast YAML codecs that render, plan and apply
// spend most of their time in, each held to a reference it must equal:
//
//   - Encoder (encode.go, typed.go, node.go) builds YAML nodes straight
//     from typed Kubernetes objects by a reflection walk that follows
//     encoding/json's rules and prunes empty values on the way, sharing
//     identical pod specs; the reference is the JSON round trip it
//     replaces (json.Marshal, decode, prune: TestDirectEncoderMatchesJSON,
//     on the golden objects and on randomly filled ones), and kyaml's
//     encoding of the object's JSON (the golden files hold it).
//   - WriteYAML (emit.go, quote.go, write.go) writes plain documents itself
//     and hands anything else to kyaml's encoder; the reference is kyaml's
//     kio.ByteWriter, byte for byte (TestFastWriterMatchesKyaml,
//     FuzzFastWriter), with strings quoted so that YAML 1.1 and 1.2 readers
//     read the same (TestWritersQuoteForEveryReader).
//   - Value (value.go) turns a node into the map client-go sends; the
//     reference is kyaml's JSON read as unstructured
//     (TestValueMatchesJSONRoundTrip).
//
// A change here keeps its reference test green; kyaml's encoder is the
// definition of correct output, these codecs only make it cheaper.
package codec
