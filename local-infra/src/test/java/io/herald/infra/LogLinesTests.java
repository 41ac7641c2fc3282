package io.herald.infra;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogLinesTests {

	@Test
	void errorsOfTheServiceAreFoundAndTheEmbeddedBrokersOwnAreLeftOut() {
		String output = """
				2026-11-23T23:30:22.022Z ERROR 1 --- [gateway] [r-event-handler] [ ] state.change.logger                      : [Broker id=1] Expected partition t-1 to exist
				2026-11-23T23:30:22.023Z ERROR 1 --- [gateway] [  main] [ ] kafka.server.ReplicaManager              : broker trouble
				2026-11-23T23:30:22.024Z  INFO 1 --- [gateway] [  main] [ ] i.h.g.s.Something                        : fine
				2026-11-23T23:30:22.025Z ERROR 1 --- [gateway] [nio-1-exec-1] [ ] i.h.s.web.ApiExceptionHandler            : Unexpected failure
				""";

		assertThat(LogLines.errors(output)).singleElement().asString().contains("Unexpected failure");
	}

	@Test
	void outputWithoutErrorsHasNone() {
		assertThat(LogLines
			.errors("2026-11-23T23:30:22.024Z  WARN 1 --- [gateway] [main] [ ] i.h.Something : ERROR in a message\n"))
			.isEmpty();
	}

}
