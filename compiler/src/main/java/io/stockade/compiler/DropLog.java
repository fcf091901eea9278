package io.stockade.compiler;

/**
 * How a host logs the drops of vnics that ask for it: to nflog group {@code group}, at most
 * {@code ratePerSecond} packets a second (after a burst of {@code burst}) per vnic, drop
 * reason and table (isolation drops come from both), limited in the kernel so a flood costs the
 * data path nothing more than the limit.
 */
public record DropLog(int group, int ratePerSecond, int burst) {
    public static final DropLog DEFAULTS = new DropLog(750, 10, 20);

    public DropLog {
        if (group < 0 || group > 65535) {
            throw new IllegalArgumentException("drop log group must be an nflog group 0-65535, got " + group);
        }
        if (ratePerSecond < 1) {
            throw new IllegalArgumentException("drop log rate must be at least 1 packet a second, got " + ratePerSecond);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("drop log burst must be at least 1 packet, got " + burst);
        }
    }
}
