package io.stockade.agent.kernel;

import io.stockade.agent.drops.NflogReader;

/** A JVM standing for an agent: starts the nflog reader's child, prints the child's pid, and waits to be ended. */
public final class NflogChild {
    private NflogChild() {}

    public static void main(String[] args) throws InterruptedException {
        NflogReader r = new NflogReader(args[0], Integer.parseInt(args[1]), p -> { }).start();
        while (r.pid() == -1) {
            Thread.sleep(10);
        }
        System.out.println(r.pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
