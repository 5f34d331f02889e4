package io.streamglm.connectors.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/** Topic creation that leaves existing topics alone. */
public final class Topics {
    private Topics() {
    }

    /**
     * Creates the topics that do not exist yet.
     *
     * @param replication the replication factor, or empty for the broker's default
     */
    public static void create(Admin admin, int partitions, Optional<Short> replication, String... topics) {
        List<NewTopic> list = new ArrayList<>();
        for (String t : topics) {
            list.add(new NewTopic(t, Optional.of(partitions), replication));
        }
        admin.createTopics(list).values().forEach((name, future) -> {
            try {
                future.get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + name + ": " + e.getCause().getMessage(),
                            e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }
}
