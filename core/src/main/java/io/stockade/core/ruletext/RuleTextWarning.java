package io.stockade.core.ruletext;

/**
 * A line that was accepted with a meaning its text does not show at once: where the canonical
 * form differs from what was written (1-based line and column, like {@link RuleTextError}).
 */
public record RuleTextWarning(int line, int column, String message) {
    @Override
    public String toString() {
        return line + ":" + column + ": warning: " + message;
    }
}
