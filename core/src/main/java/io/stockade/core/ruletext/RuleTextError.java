package io.stockade.core.ruletext;

/** One error in a rule text: 1-based line and column in the original text, and what was expected. */
public record RuleTextError(int line, int column, String message) {
    @Override
    public String toString() {
        return line + ":" + column + ": " + message;
    }
}
