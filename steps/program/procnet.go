package program

import (
	"bufio"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// tcpListen is the state of a listening TCP socket in /proc/net/tcp.
const tcpListen = "0A"

// socketEntry is one line of /proc/net/{tcp,udp}{,6}.
type socketEntry struct {
	ip    net.IP
	port  int
	state string
	inode string
	// connected is true when the socket has a remote address (a UDP
	// socket connected to one peer, a TCP connection).
	connected bool
}

// readSockets parses /proc/net/NAME: the local address, state and inode
// of every socket.
func readSockets(name string) ([]socketEntry, error) {
	f, err := os.Open(filepath.Join("/proc/net", name))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []socketEntry
	sc := bufio.NewScanner(f)
	sc.Scan() // the header
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 10 {
			continue
		}
		ipHex, portHex, ok := strings.Cut(fields[1], ":")
		if !ok {
			continue
		}
		ip, err := procIP(ipHex)
		if err != nil {
			continue
		}
		port, err := strconv.ParseUint(portHex, 16, 16)
		if err != nil {
			continue
		}
		_, remotePort, _ := strings.Cut(fields[2], ":")
		out = append(out, socketEntry{ip: ip, port: int(port), state: fields[3], inode: fields[9],
			connected: strings.Trim(remotePort, "0") != ""})
	}
	return out, sc.Err()
}

// procIP decodes an address of /proc/net: 32-bit words in hex, each in
// the machine's byte order.
func procIP(h string) (net.IP, error) {
	raw, err := hex.DecodeString(h)
	if err != nil || (len(raw) != 4 && len(raw) != 16) {
		return nil, fmt.Errorf("bad address %q", h)
	}
	ip := make(net.IP, len(raw))
	for i := 0; i < len(raw); i += 4 {
		binary.NativeEndian.PutUint32(ip[i:], binary.BigEndian.Uint32(raw[i:]))
	}
	return ip, nil
}

// bound reports whether a socket of network ("tcp": listening; "udp":
// bound and not connected to one peer) is on host:port, or on the wildcard
// address with that port, so that a client of host:port would reach it,
// and belongs to a process of the group pgid: a socket of another process
// on that port (a port check of a neighbour, a stray server) is not the
// program being ready. It fails when the system has no /proc/net or host
// is not an IP address.
func bound(network, host string, port, pgid int) (bool, error) {
	want := net.ParseIP(host)
	if host == "localhost" {
		want = net.IPv4(127, 0, 0, 1)
	}
	if want == nil {
		return false, fmt.Errorf("%q is not an IP address", host)
	}
	var mine map[string]bool // nil until a candidate needs it
	found := false
	for _, name := range []string{network, network + "6"} {
		list, err := readSockets(name)
		if err != nil {
			if name == network {
				return false, err
			}
			continue
		}
		for _, e := range list {
			if e.port != port || (network == "tcp" && e.state != tcpListen) || (network == "udp" && e.connected) {
				continue
			}
			if !e.ip.Equal(want) && !e.ip.IsUnspecified() {
				continue
			}
			if mine == nil {
				mine = groupSockets(pgid)
			}
			if mine[e.inode] {
				found = true
			}
		}
	}
	return found, nil
}

// listening describes the TCP listeners and UDP sockets of the program's
// processes, such as "TCP 127.0.0.1:9000", for the message when it never
// got ready; "" when none or when the system does not tell.
func (p *process) listening() string {
	return p.sockets("tcp", "tcp6", "udp", "udp6")
}

// sockets describes the program's listeners and unconnected sockets in
// the tables of /proc/net named.
func (p *process) sockets(tables ...string) string {
	inodes := groupSockets(p.pid)
	if len(inodes) == 0 {
		return ""
	}
	var found []string
	for _, name := range tables {
		list, _ := readSockets(name)
		for _, e := range list {
			if !inodes[e.inode] || (strings.HasPrefix(name, "tcp") && e.state != tcpListen) || e.connected {
				continue
			}
			found = append(found, strings.ToUpper(name[:3])+" "+net.JoinHostPort(e.ip.String(), strconv.Itoa(e.port)))
		}
	}
	sort.Strings(found)
	return strings.Join(found, ", ")
}

// groupSockets returns the socket inodes open in the processes of the
// process group pgid.
func groupSockets(pgid int) map[string]bool {
	procs, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	out := map[string]bool{}
	for _, d := range procs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil || processGroup(pid) != pgid {
			continue
		}
		dir := filepath.Join("/proc", d.Name(), "fd")
		fds, _ := os.ReadDir(dir)
		for _, fd := range fds {
			link, err := os.Readlink(filepath.Join(dir, fd.Name()))
			if err == nil && strings.HasPrefix(link, "socket:[") {
				out[strings.TrimSuffix(strings.TrimPrefix(link, "socket:["), "]")] = true
			}
		}
	}
	return out
}

// processGroup returns the process group of pid from /proc/PID/stat, or
// -1.
func processGroup(pid int) int {
	g, _ := processState(pid)
	return g
}

// processState returns the process group and the state (R, S, Z...) of
// pid from /proc/PID/stat, or -1.
func processState(pid int) (int, string) {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return -1, ""
	}
	// pid (comm) state ppid pgrp ...; comm may hold spaces and parentheses.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return -1, ""
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 3 {
		return -1, ""
	}
	g, err := strconv.Atoi(f[2])
	if err != nil {
		return -1, ""
	}
	return g, f[0]
}

// groupAlive reports whether a process of the group pgid still runs:
// zombies, which are only waiting to be reaped, do not count. Without
// /proc, any process of the group counts.
func groupAlive(pgid int) bool {
	procs, err := os.ReadDir("/proc")
	if err != nil {
		return groupExists(pgid)
	}
	for _, d := range procs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		if g, st := processState(pid); g == pgid && st != "Z" && st != "X" {
			return true
		}
	}
	return false
}
