package io.herald.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CountDownLatch;

/**
 * Runs one {@link KafkaBroker} as the whole of a JVM, so that the broker can be killed
 * with SIGKILL like any broker process; {@link KafkaBrokerProcess} starts it.
 *
 * <p>
 * Arguments: {@code <port> <controller-port> <log-directory> <ready-file>}, and for one
 * node of a cluster {@code <node-id> <cluster-id> <voters>} after them
 * ({@link KafkaQuorum}). Once the broker serves clients, the pid of this JVM is written
 * to the ready file (atomically: the file either does not exist or holds the pid).
 * SIGTERM shuts the broker down cleanly; the JVM also exits when its parent process does,
 * so a broker never outlives the process that started it.
 */
public final class KafkaBrokerMain {

	private KafkaBrokerMain() {
	}

	public static void main(String[] args) throws InterruptedException {
		if (args.length != 4 && args.length != 7) {
			System.err.println("usage: KafkaBrokerMain <port> <controller-port> <log-directory> <ready-file>"
					+ " [<node-id> <cluster-id> <voters>]");
			System.exit(2);
			return;
		}
		KafkaBroker.Builder builder = KafkaBroker.builder()
			.port(Integer.parseInt(args[0]))
			.controllerPort(Integer.parseInt(args[1]))
			.logDirectory(Path.of(args[2]));
		if (args.length == 7) {
			builder.node(Integer.parseInt(args[4]), KafkaQuorum.parse(args[5], args[6]));
		}
		KafkaBroker broker = builder.build();
		Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-broker-shutdown"));
		ProcessHandle.current().parent().ifPresent((parent) -> parent.onExit().thenRun(() -> System.exit(0)));
		try {
			broker.start();
		}
		catch (RuntimeException ex) {
			ex.printStackTrace();
			System.exit(1);
			return;
		}
		writeReadyFile(Path.of(args[3]));
		new CountDownLatch(1).await();
	}

	private static void writeReadyFile(Path readyFile) {
		try {
			Path written = readyFile.resolveSibling(readyFile.getFileName() + ".tmp");
			Files.writeString(written, Long.toString(ProcessHandle.current().pid()), StandardCharsets.US_ASCII);
			Files.move(written, readyFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write " + readyFile, ex);
		}
	}

}
