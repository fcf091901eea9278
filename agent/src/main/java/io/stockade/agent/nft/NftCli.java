package io.stockade.agent.nft;

import io.stockade.agent.Shell;

/** {@link Nftables} through the {@code nft} command (in the shell's network namespace). */
public final class NftCli implements Nftables {
    private final Shell shell;

    public NftCli(Shell shell) {
        this.shell = shell;
    }

    @Override
    public void apply(String script) {
        Shell.Result r = shell.run(script, "nft", "-f", "-");
        if (!r.ok()) {
            throw new NftException("nft refused the transaction: " + r.err().strip());
        }
    }

    @Override
    public void check(String script) {
        Shell.Result r = shell.run(script, "nft", "-c", "-f", "-");
        if (!r.ok()) {
            throw new NftException("nft -c: " + r.err().strip());
        }
    }

    @Override
    public String listJson(String family, String table) {
        Shell.Result r = shell.run(null, "nft", "-j", "list", "table", family, table);
        return r.ok() ? r.out() : null;
    }

    @Override
    public String listCountersJson(String family, String table) {
        Shell.Result r = shell.run(null, "nft", "-j", "list", "counters", "table", family, table);
        return r.ok() ? r.out() : null;
    }
}
