package io.stockade.compiler;

/** How a rule (or a verdict map's element) ends. */
public sealed interface Verdict extends NftElement.Value {
    Verdict ACCEPT = new Accept();
    Verdict DROP = new Drop();
    Verdict RETURN = new Return();
    /** No verdict: the packet goes on to the next rule. */
    Verdict CONTINUE = new Continue();

    record Accept() implements Verdict {}

    record Drop() implements Verdict {}

    record Return() implements Verdict {}

    record Continue() implements Verdict {}

    record Jump(String chain) implements Verdict {}

    record Goto(String chain) implements Verdict {}

    /** {@code KEY vmap @MAP}: the verdict a verdict map gives for the packet's key. */
    record Vmap(String key, String map) implements Verdict {}
}
