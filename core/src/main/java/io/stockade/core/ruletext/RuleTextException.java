package io.stockade.core.ruletext;

import java.util.List;
import java.util.stream.Collectors;

/** A rule text with errors; carries every error found, in line order. */
public final class RuleTextException extends RuntimeException {
    private final List<RuleTextError> errors;

    public RuleTextException(List<RuleTextError> errors) {
        super(errors.stream().map(RuleTextError::toString).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public List<RuleTextError> errors() {
        return errors;
    }
}
