// Package wire holds what the byte protocols share (tcp, tls, udp, ws,
// and the programs of spawn): the payload forms of send, the framing and
// matching of expect, and a bounded reader over a stream with its read
// and write errors in words (which the line protocols use too). What
// opening a connection takes is in steps/internal/netconn, sizes are in
// steps/internal/bytesize.
//
// # Send
//
// A Payload is a scalar, sent as is with no newline added, or a mapping
// with exactly one of line (the text and the line ending: line_ending
// beside it, else the connection's line_ending, else CRLF), hex (spaces
// allowed), base64 or file (relative to the scenario).
//
// # Expect
//
// Framing cuts the data the match looks at; at most one of:
//
//   - line: true. One line; the line ending is removed from result.data.
//     A line ends at \n, with a \r before it removed too, unless
//     line_ending names the exact ending.
//   - until: DELIM. The data up to DELIM; DELIM is consumed but is not part
//     of result.data.
//   - bytes: N. Exactly N bytes.
//   - closed: true. Everything until the peer closes its side.
//
// partial: true goes beside one of these: when the frame's end does not
// come (the peer closes, or the step deadline passes), the data received
// until then (at least one byte) is the frame, and result.partial is true.
//
//   - none (the default): read until the match holds, like expect(1):
//     result.data is everything through the end of the match, and what
//     follows stays buffered for the next expect. equals then means "the
//     next bytes are exactly this" and fails as soon as a byte differs;
//     without any match key, whatever data is there (at least one byte) is
//     taken.
//
// Matching, at most one of: equals (the whole frame), contains, match (an
// RE2 regular expression, unanchored; result.groups[0] is the whole match,
// result.groups[1] the first group, result.named the named groups). reject
// (a regular expression) goes beside any of them: it is tested on each
// read against the data being waited on, and fails the step at once when
// it matches. nothing: true takes no other key: it passes when no data
// arrives within the step timeout, and fails on data or on the peer
// closing. A scalar `expect: TEXT` means `{ contains: TEXT }`. A datagram
// protocol takes no framing: one datagram is the frame.
//
// An expect that does not hold is a check failure (engine.Mismatch) whose
// report shows what was received: a frame that does not match, data that
// matches reject, the peer closing first, and the step timeout passing
// without a match. A failed expect consumes the frame it examined, so that
// a retry reads the next line; after a timeout, what was received stays
// buffered. Read and write errors (a reset, a refused datagram) are errors
// of the network.
//
// The buffer holds at most max_buffer bytes (1 MiB by default): a peer that
// sends that much without a match fails the step with "received 1 MiB
// without a match", and memory stays bounded.
//
// A search after a read looks only at what it could not rule out before:
// the new bytes for line, until and contains; for match on the stream and
// for reject, the new bytes and as many before as the pattern's longest
// match, or, for a pattern without a longest match, the whole buffer, but
// only when a new byte can end a match. Past 1 MiB, on Linux, the buffer
// lies in memory mapped outside Go's heap that never moves and is given
// back as the frame is copied out, so that a frame costs about its size
// once.
package wire
