package io.stockade.agent.drops;

/**
 * One dropped packet as the agent reports it: when, which vnic and direction, why (a
 * {@link io.stockade.compiler.Counters.Reason} wire name), the 5-tuple (ports -1 where the
 * protocol has none; ICMP type and code -1 for other protocols), and the group and rule that would have
 * let it through ({@code neededGroup}/{@code neededRule}, null when no rule can, as for spoofing).
 */
public record Drop(String time, String vnic, String direction, String reason, String protocol, String src, int srcPort,
        String dst, int dstPort, int icmpType, int icmpCode, String neededGroup, String neededRule) {

    /** The structured line of the agent's log. */
    public String logLine() {
        StringBuilder sb = new StringBuilder("drop vnic=").append(vnic).append(" direction=").append(direction).append(" reason=").append(reason)
                .append(" proto=").append(protocol).append(" src=").append(endpoint(src, srcPort)).append(" dst=").append(endpoint(dst, dstPort));
        if (icmpType >= 0) {
            sb.append(" icmp=").append(icmpType).append('/').append(icmpCode);
        }
        if (neededRule != null) {
            sb.append(" needed=\"").append(neededGroup).append(": ").append(neededRule).append('"');
        }
        return sb.toString();
    }

    private static String endpoint(String address, int port) {
        if (port < 0) {
            return address;
        }
        return (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
    }
}
