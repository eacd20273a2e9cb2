package mailstore

import (
	"bufio"
	"bytes"
	"io"
	"strings"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-message/textproto"
)

// view is a selected mailbox as one IMAP session sees it: the session's own
// tracker maps between the mailbox's sequence numbers and the ones the
// client knows.
type view struct {
	*Mailbox
	tracker   *imapserver.SessionTracker
	readOnly  bool
	searchRes imap.UIDSet // the saved result of SEARCH RETURN (SAVE)
}

// writable fails for a mailbox selected with EXAMINE.
func (v *view) writable() error {
	if v.readOnly {
		return cannot("Mailbox is read-only")
	}
	return nil
}

// checkSeqSet refuses a set of sequence numbers that names a message
// past the last one, or any message of an empty mailbox ("*" included),
// with BAD, as Dovecot does (RFC 3501, section 9: "seq-number" must be a
// valid message number); imaplib raises an error for it. UID sets need no
// check: a UID that is not there selects nothing.
func (v *view) checkSeqSet(cmd string, numSet imap.NumSet) error {
	set, ok := numSet.(imap.SeqSet)
	if !ok || imap.IsSearchRes(numSet) {
		return nil
	}
	v.mu.Lock()
	n := uint32(len(v.msgs))
	v.mu.Unlock()
	for _, r := range set {
		if n == 0 || r.Start > n || r.Stop > n {
			return &imap.Error{Type: imap.StatusResponseTypeBad, Text: "Error in IMAP command " + cmd + ": Invalid messageset"}
		}
	}
	return nil
}

// fetched is what fetch writes about one message, copied under the lock.
type fetched struct {
	seqNum uint32
	msg    *message
	flags  []imap.Flag
}

// fetch writes the items options ask for. BODY[] without PEEK sets \Seen
// unless the mailbox is read-only. The messages are picked under the lock,
// and written after it is released, so a slow client holds up no one.
func (v *view) fetch(w *imapserver.FetchWriter, numSet imap.NumSet, options *imap.FetchOptions) error {
	markSeen := false
	for _, bs := range options.BodySection {
		if !bs.Peek {
			markSeen = !v.readOnly
		}
	}
	var list []fetched
	v.mu.Lock()
	v.forEachLocked(numSet, func(seqNum uint32, msg *message) {
		if markSeen && !msg.hasFlag(imap.FlagSeen) {
			msg.flags[imap.FlagSeen] = struct{}{}
			v.Mailbox.tracker.QueueMessageFlags(seqNum, msg.uid, msg.flagList(), v.tracker)
		}
		list = append(list, fetched{seqNum: v.tracker.EncodeSeqNum(seqNum), msg: msg, flags: msg.flagList()})
	})
	v.mu.Unlock()
	for _, f := range list {
		if err := writeFetch(w.CreateMessage(f.seqNum), f, options, markSeen); err != nil {
			return err
		}
	}
	return nil
}

// writeFetch writes the FETCH response of one message.
func writeFetch(w *imapserver.FetchResponseWriter, f fetched, options *imap.FetchOptions, markSeen bool) error {
	raw := f.msg.raw
	// UID only when asked for, or for UID FETCH (go-imap sets options.UID
	// then), as Dovecot does: clients that read the first FETCH item by
	// position must see the same answer.
	if options.UID {
		w.WriteUID(f.msg.uid)
	}
	if options.Flags || markSeen {
		w.WriteFlags(f.flags)
	}
	if options.InternalDate {
		w.WriteInternalDate(f.msg.received)
	}
	if options.RFC822Size {
		w.WriteRFC822Size(int64(len(raw)))
	}
	if options.Envelope {
		if h, err := textproto.ReadHeader(bufio.NewReader(bytes.NewReader(raw))); err == nil {
			w.WriteEnvelope(imapserver.ExtractEnvelope(h))
		}
	}
	if options.BodyStructure != nil {
		w.WriteBodyStructure(defaultCharset(imapserver.ExtractBodyStructure(bytes.NewReader(raw))))
	}
	for _, bs := range options.BodySection {
		buf := imapserver.ExtractBodySection(bytes.NewReader(raw), bs)
		if err := writeAll(w.WriteBodySection(bs, int64(len(buf))), buf); err != nil {
			return err
		}
	}
	for _, bs := range options.BinarySection {
		buf := imapserver.ExtractBinarySection(bytes.NewReader(raw), bs)
		if err := writeAll(w.WriteBinarySection(bs, int64(len(buf))), buf); err != nil {
			return err
		}
	}
	for _, bss := range options.BinarySectionSize {
		w.WriteBinarySectionSize(bss, imapserver.ExtractBinarySectionSize(bytes.NewReader(raw), bss))
	}
	return w.Close()
}

// defaultCharset gives every text part without a charset parameter the
// charset us-ascii, as Dovecot writes it (RFC 2045, section 5.2: the
// default), so that clients reading BODYSTRUCTURE find one.
func defaultCharset(bs imap.BodyStructure) imap.BodyStructure {
	switch b := bs.(type) {
	case *imap.BodyStructureSinglePart:
		if strings.EqualFold(b.Type, "text") {
			if _, ok := b.Params["charset"]; !ok {
				if b.Params == nil {
					b.Params = map[string]string{}
				}
				b.Params["charset"] = "us-ascii"
			}
		}
		if b.MessageRFC822 != nil {
			b.MessageRFC822.BodyStructure = defaultCharset(b.MessageRFC822.BodyStructure)
		}
	case *imap.BodyStructureMultiPart:
		for i, c := range b.Children {
			b.Children[i] = defaultCharset(c)
		}
	}
	return bs
}

// writeAll writes buf to a literal and closes it.
func writeAll(wc io.WriteCloser, buf []byte) error {
	_, err := wc.Write(buf)
	if cerr := wc.Close(); err == nil {
		err = cerr
	}
	return err
}

// store changes the flags of the messages of numSet and tells the other
// sessions.
func (v *view) store(numSet imap.NumSet, flags *imap.StoreFlags) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.forEachLocked(numSet, func(seqNum uint32, msg *message) {
		msg.store(flags)
		v.Mailbox.tracker.QueueMessageFlags(seqNum, msg.uid, msg.flagList(), v.tracker)
	})
}

// search returns the messages matching criteria, by sequence number or UID
// as kind says, and saves the UIDs when options ask for it.
func (v *view) search(kind imapserver.NumKind, criteria *imap.SearchCriteria, options *imap.SearchOptions) *imap.SearchData {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.staticCriteria(criteria)
	var (
		data   imap.SearchData
		seqSet imap.SeqSet
		uidSet imap.UIDSet
	)
	for i, msg := range v.msgs {
		seqNum := v.tracker.EncodeSeqNum(uint32(i) + 1)
		if !matches(msg, seqNum, criteria) {
			continue
		}
		uidSet.AddNum(msg.uid)
		num := uint32(msg.uid)
		if kind == imapserver.NumKindSeq {
			if seqNum == 0 {
				continue // not known to this client yet
			}
			seqSet.AddNum(seqNum)
			num = seqNum
		}
		if data.Min == 0 || num < data.Min {
			data.Min = num
		}
		if num > data.Max {
			data.Max = num
		}
		data.Count++
	}
	if kind == imapserver.NumKindSeq {
		data.All = seqSet
	} else {
		data.All = uidSet
	}
	if options != nil && options.ReturnSave {
		v.searchRes = uidSet
	}
	return &data
}

// staticCriteria replaces "*" and "$" in the number sets of criteria with
// actual numbers.
func (v *view) staticCriteria(criteria *imap.SearchCriteria) {
	seqNums := make([]imap.SeqSet, 0, len(criteria.SeqNum))
	for _, set := range criteria.SeqNum {
		switch set := v.staticNumSet(set).(type) {
		case imap.SeqSet:
			seqNums = append(seqNums, set)
		case imap.UIDSet: // "$"
			criteria.UID = append(criteria.UID, set)
		}
	}
	criteria.SeqNum = seqNums
	for i, set := range criteria.UID {
		criteria.UID[i] = v.staticNumSet(set).(imap.UIDSet)
	}
	for i := range criteria.Not {
		v.staticCriteria(&criteria.Not[i])
	}
	for i := range criteria.Or {
		v.staticCriteria(&criteria.Or[i][0])
		v.staticCriteria(&criteria.Or[i][1])
	}
}

// forEachLocked calls f with the mailbox sequence number and the message of
// each message of numSet, which holds sequence numbers as this client knows
// them, or UIDs. The caller holds v.mu.
func (v *view) forEachLocked(numSet imap.NumSet, f func(seqNum uint32, msg *message)) {
	numSet = v.staticNumSet(numSet)
	for i, msg := range v.msgs {
		seqNum := uint32(i) + 1
		var in bool
		switch set := numSet.(type) {
		case imap.SeqSet:
			client := v.tracker.EncodeSeqNum(seqNum)
			in = client != 0 && set.Contains(client)
		case imap.UIDSet:
			in = set.Contains(msg.uid)
		}
		if in {
			f(seqNum, msg)
		}
	}
}

// staticNumSet returns numSet with "*" replaced by the highest sequence
// number or UID, and "$" by the saved search result. The caller holds v.mu.
func (v *view) staticNumSet(numSet imap.NumSet) imap.NumSet {
	if imap.IsSearchRes(numSet) {
		return v.searchRes
	}
	switch set := numSet.(type) {
	case imap.SeqSet:
		top := uint32(len(v.msgs))
		for i := range set {
			staticRange(&set[i].Start, &set[i].Stop, top)
		}
	case imap.UIDSet:
		top := uint32(v.uidNext) - 1
		for i := range set {
			staticRange((*uint32)(&set[i].Start), (*uint32)(&set[i].Stop), top)
		}
	}
	return numSet
}

// staticRange replaces a 0 ("*") bound with top and orders the bounds.
func staticRange(start, stop *uint32, top uint32) {
	dynamic := false
	if *start == 0 {
		*start, dynamic = top, true
	}
	if *stop == 0 {
		*stop, dynamic = top, true
	}
	if dynamic && *start > *stop {
		*start, *stop = *stop, *start
	}
}
