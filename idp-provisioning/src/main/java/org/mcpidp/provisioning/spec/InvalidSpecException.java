package org.mcpidp.provisioning.spec;

import java.util.List;
import java.util.stream.Collectors;

/** A spec that must not reach an IdP; carries every error found, not just the first. */
public final class InvalidSpecException extends Exception {

    private final transient List<SpecError> errors;

    public InvalidSpecException(List<SpecError> errors) {
        super(errors.size() + " error(s):\n" + errors.stream().map(SpecError::toString).collect(Collectors.joining("\n")));
        this.errors = List.copyOf(errors);
    }

    public List<SpecError> errors() {
        return errors;
    }
}
