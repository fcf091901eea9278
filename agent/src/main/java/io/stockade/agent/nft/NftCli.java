package io.stockade.agent.nft;

import io.stockade.agent.Shell;

/** {@link Nftables} through the {@code nft} command (in the shell's network namespace). */
public final class NftCli extends NftScripts {
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
    String json(String command) {
        java.util.List<String> argv = new java.util.ArrayList<>(java.util.List.of("nft", "-j"));
        argv.addAll(java.util.List.of(command.split(" ")));
        Shell.Result r = shell.run(null, argv.toArray(String[]::new));
        return r.ok() ? r.out() : null;
    }

    /** Unknown: the command cannot read it, so every drift check lists the tables. */
    @Override
    public long generation() {
        return -1;
    }
}
