package io.herald.infra;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class KafkaQuorumTests {

	@Test
	void nodesAreNumberedFromOneWithTheirControllerPorts() {
		KafkaQuorum quorum = KafkaQuorum.of(List.of(40001, 40002, 40003));
		assertThat(quorum.voters()).isEqualTo("1@127.0.0.1:40001,2@127.0.0.1:40002,3@127.0.0.1:40003");
		assertThat(quorum.controllerPort(2)).isEqualTo(40002);
		assertThat(quorum.size()).isEqualTo(3);
		assertThat(quorum.clusterId()).isNotBlank();
	}

	@Test
	void theVotersReadBackAsTheSameQuorum() {
		KafkaQuorum quorum = KafkaQuorum.of(List.of(40001, 40002, 40003));
		assertThat(KafkaQuorum.parse(quorum.clusterId(), quorum.voters())).isEqualTo(quorum);
		assertThat(KafkaQuorum.parse("id", "3@127.0.0.1:3,1@127.0.0.1:1").voters())
			.isEqualTo("1@127.0.0.1:1,3@127.0.0.1:3");
	}

	@Test
	void replicationFollowsTheSize() {
		assertThat(KafkaQuorum.single(1, 40001))
			.extracting(KafkaQuorum::replicationFactor, KafkaQuorum::minInsyncReplicas)
			.containsExactly(1, 1);
		assertThat(KafkaQuorum.of(List.of(1, 2)))
			.extracting(KafkaQuorum::replicationFactor, KafkaQuorum::minInsyncReplicas)
			.containsExactly(2, 1);
		assertThat(KafkaQuorum.of(List.of(1, 2, 3)))
			.extracting(KafkaQuorum::replicationFactor, KafkaQuorum::minInsyncReplicas)
			.containsExactly(3, 2);
		assertThat(KafkaQuorum.of(List.of(1, 2, 3, 4, 5)))
			.extracting(KafkaQuorum::replicationFactor, KafkaQuorum::minInsyncReplicas)
			.containsExactly(3, 2);
	}

	@Test
	void aNodeOutsideTheQuorumOrAMalformedVoterIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> KafkaQuorum.of(List.of(40001)).controllerPort(2))
			.withMessage("node 2 is not one of the voters 1@127.0.0.1:40001");
		assertThatIllegalArgumentException().isThrownBy(() -> KafkaQuorum.parse("id", "127.0.0.1:40001"))
			.withMessageContaining("not a voter");
		assertThatIllegalArgumentException().isThrownBy(() -> new KafkaQuorum("id", Map.of()))
			.withMessage("a quorum needs at least one node");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> KafkaBroker.builder().node(4, KafkaQuorum.of(List.of(40001, 40002, 40003))))
			.withMessageContaining("node 4");
	}

}
