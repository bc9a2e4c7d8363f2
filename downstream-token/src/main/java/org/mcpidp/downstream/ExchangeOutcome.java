package org.mcpidp.downstream;

import java.util.Objects;

/** The result of one exchange: a token for the target, or why not. */
public sealed interface ExchangeOutcome {

    record Issued(DownstreamToken token) implements ExchangeOutcome {
        public Issued {
            Objects.requireNonNull(token, "token");
        }
    }

    record Failed(ExchangeFailure failure) implements ExchangeOutcome {
        public Failed {
            Objects.requireNonNull(failure, "failure");
        }
    }
}
