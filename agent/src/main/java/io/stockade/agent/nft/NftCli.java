package io.stockade.agent.nft;

import io.stockade.agent.Shell;

/** {@link Nftables} through the {@code nft} command (in the shell's network namespace). */
public final class NftCli implements Nftables {
    private final Shell shell;

    public NftCli(Shell shell) {
        this.shell = shell;
    }

    @Override
    public void run(io.stockade.compiler.Transaction tx) {
        apply(io.stockade.compiler.Render.script(tx));
    }

    @Override
    public java.util.Optional<Listing> list(String family, String table) {
        return java.util.Optional.ofNullable(listJson(family, table)).map(ListingJson::parse);
    }

    @Override
    public java.util.Optional<Listing.Summary> summary(io.stockade.compiler.NftObject object) {
        return java.util.Optional.ofNullable(listJson(ListingJson.command(object))).map(json -> ListingJson.summary(object, json));
    }

    /** Applies a script atomically; throws {@link NftException} (nothing applied) when nft refuses it. */
    public void apply(String script) {
        Shell.Result r = shell.run(script, "nft", "-f", "-");
        if (!r.ok()) {
            throw new NftException("nft refused the transaction: " + r.err().strip());
        }
    }

    /** Checks the script without applying it ({@code nft -c}). */
    public void check(String script) {
        Shell.Result r = shell.run(script, "nft", "-c", "-f", "-");
        if (!r.ok()) {
            throw new NftException("nft -c: " + r.err().strip());
        }
    }

    /** {@code nft -j list table FAMILY NAME}, or null when the table does not exist. */
    public String listJson(String family, String table) {
        return listJson("list table " + family + " " + table);
    }

    private String listJson(String command) {
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

    @Override
    public String listCountersJson(String family, String table) {
        Shell.Result r = shell.run(null, "nft", "-j", "list", "counters", "table", family, table);
        return r.ok() ? r.out() : null;
    }
}
