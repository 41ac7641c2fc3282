package io.herald.localstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chaos suite's fast version, against the whole platform with the real service jars: for
 * each part of it, in-app notifications to 200 connected users and critical notifications by
 * email, SMS and push flow while the part is broken and comes back, and the load driver counts
 * at the receivers (WebSocket frames, provider sandboxes) that every accepted notification
 * arrived, once, in its user's order. {@code platform chaos} runs the same with longer, heavier
 * loads.
 */
class ChaosIntegrationTests {

	private static final Chaos.Settings SETTINGS = new Chaos.Settings(List.of(), Duration.ofSeconds(10), 100, 200, 10,
			Duration.ofSeconds(120), Duration.ofSeconds(3));

	private static Path data;

	private static LocalStack stack;

	@BeforeAll
	static void startStack() throws Exception {
		data = Files.createTempDirectory("herald-chaos-test-");
		stack = new LocalStack(ChaosCommand.settings(data), Path.of("..").toAbsolutePath().normalize());
		stack.environment("delivery", ChaosCommand.DELIVERY_ENVIRONMENT);
		stack.start();
		new Chaos(stack, SETTINGS).warmUp();
	}

	@AfterAll
	static void stopStack() {
		if (stack != null) {
			stack.close();
		}
	}

	/** Faults run in the enum's order: routing, delivery, the gateway, Kafka, Redis, the providers. */
	@ParameterizedTest(name = "{0}: nothing lost, duplicated or out of order")
	@EnumSource(Chaos.Fault.class)
	void breakingAPartMidLoadLosesNothingDuplicatesNothingAndKeepsEachUsersOrder(Chaos.Fault fault)
			throws Exception {
		assertClean(fault);
	}

	private static void assertClean(Chaos.Fault fault) throws InterruptedException {
		Chaos.Outcome outcome = new Chaos(stack, SETTINGS).run(fault);
		System.out.print(Chaos.HEADER + outcome.line() + "\n" + outcome.reports());
		assertThat(outcome.inApp().accepted()).as("in-app notifications accepted").isPositive();
		assertThat(outcome.delivery().accepted()).as("provider notifications accepted").isPositive();
		assertThat(outcome.inApp().lost()).as("in-app lost\n%s", outcome.reports()).isZero();
		assertThat(outcome.inApp().duplicated()).as("in-app duplicated\n%s", outcome.reports()).isZero();
		assertThat(outcome.inApp().outOfOrder()).as("in-app out of order\n%s", outcome.reports()).isZero();
		assertThat(outcome.inApp().unexpected()).as("in-app unexpected\n%s", outcome.reports()).isZero();
		assertThat(outcome.delivery().lost()).as("provider lost\n%s", outcome.reports()).isZero();
		assertThat(outcome.delivery().duplicated()).as("provider duplicated\n%s", outcome.reports()).isZero();
	}

}
