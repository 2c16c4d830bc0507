package io.testbed.git.server.marks;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An address block such as {@code 127.0.0.0/8} or {@code ::1/128} (a bare address is a single host). */
record Cidr(byte[] network, int bits) {

    static Cidr parse(String spec) {
        String s = spec.trim();
        int slash = s.indexOf('/');
        String host = slash < 0 ? s : s.substring(0, slash);
        if (!host.matches("[0-9A-Fa-f:.]+")) {
            throw new IllegalArgumentException("testbed.git.marks.allowed-peers entry '" + spec + "' must be an address or CIDR block");
        }
        byte[] addr;
        try {
            addr = InetAddress.getByName(host).getAddress(); // a literal: no name lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("testbed.git.marks.allowed-peers entry '" + spec + "': bad address");
        }
        int bits = addr.length * 8;
        if (slash >= 0) {
            try {
                bits = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                bits = -1;
            }
            if (bits < 0 || bits > addr.length * 8) {
                throw new IllegalArgumentException("testbed.git.marks.allowed-peers entry '" + spec + "': bad prefix length");
            }
        }
        return new Cidr(addr, bits);
    }

    boolean contains(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length != network.length) {
            return false;
        }
        for (int i = 0; i < bits; i++) {
            int mask = 0x80 >>> (i % 8);
            if ((b[i / 8] & mask) != (network[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }
}
