package org.myoflow.infra.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.myoflow.dicom.DicomNodeConfig;
import org.myoflow.dicom.scu.PacsDestination;
import org.myoflow.infra.InfraConfig;
import org.myoflow.infra.node.MyoflowNode;
import org.myoflow.infra.stack.StackConfig;
import org.myoflow.workflows.TaskQueues;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Run modes: {@code node} is everything in one JVM (embedded Kafka and Temporal unless external ones are
 * configured); {@code starter} and {@code worker} run one role against external services. All stop cleanly on SIGTERM.
 */
public final class NodeCommand {
    private NodeCommand() {
    }

    abstract static class Base implements Callable<Integer> {
        @Option(names = "--home", description = "Storage root (default MYOFLOW_HOME or ./myoflow-data).")
        Path home;

        @Option(names = "--pacs", split = ",", description = "Result destinations AE@host:port (MYOFLOW_PACS).")
        List<String> pacs;

        @Option(names = "--kafka", description = "External Kafka bootstrap servers (MYOFLOW_KAFKA_BOOTSTRAP).")
        String kafka;

        @Option(names = "--temporal", description = "External Temporal host:port (MYOFLOW_TEMPORAL_TARGET).")
        String temporal;

        @Spec
        CommandSpec spec;

        abstract Set<MyoflowNode.Role> roles();

        Set<String> queues() {
            return Set.of(TaskQueues.CPU, TaskQueues.GPU, TaskQueues.IO);
        }

        StackConfig stack() {
            StackConfig s = StackConfig.fromEnvironment();
            if (pacs != null) {
                s = s.withPacs(PacsDestination.parseList(String.join(",", pacs)));
            }
            if (kafka != null || temporal != null) {
                s = new StackConfig(kafka != null ? kafka : s.kafkaBootstrap(), s.embeddedKafkaPort(),
                        temporal != null ? temporal : s.temporalTarget(), s.temporalNamespace(), s.temporalTls(),
                        s.embeddedTemporalPort(), s.pacs(), s.scuAeTitle(), s.fractionalSeg(), s.cameras());
            }
            return s;
        }

        @Override
        public Integer call() throws Exception {
            InfraConfig cfg;
            StackConfig stack;
            DicomNodeConfig dicom;
            try { // a value the application refuses: say which, before anything starts
                cfg = InfraConfig.fromEnvironment();
                stack = stack();
                dicom = DicomNodeConfig.fromEnvironment();
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage(), e);
            }
            Path root = home != null ? home : cfg.storageRoot();
            dicom = dicom.withStorageRoot(root);
            Set<MyoflowNode.Role> roles = roles();
            if (!roles.contains(MyoflowNode.Role.DICOM) && (stack.kafkaBootstrap().isBlank()
                    || stack.temporalTarget().isBlank())) {
                System.err.println("this role needs external Kafka and Temporal (--kafka, --temporal); "
                        + "`myoflow node` runs everything embedded");
                return 2;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            MyoflowNode node;
            try {
                node = MyoflowNode.start(root, stack, dicom, roles, queues(), cfg.threads(),
                        new SimpleMeterRegistry());
            } catch (java.io.IOException e) { // a port taken, a journal that cannot be replayed: say why, plainly
                System.err.println("myoflow " + spec.name() + ": cannot start: " + e.getMessage());
                return 1;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                node.close();
                stopped.countDown();
            }, "myoflow-shutdown"));
            StringBuilder line = new StringBuilder("myoflow ").append(roles).append(" running: model ")
                    .append(node.modelVersion()).append(", kafka ").append(node.kafkaBootstrap());
            if (roles.contains(MyoflowNode.Role.DICOM)) {
                line.append(", DICOM ").append(dicom.scp().aeTitle()).append('@').append(dicom.scp().bindAddress())
                        .append(':').append(node.dicomPort());
            }
            line.append(", PACS ").append(stack.pacs()).append(", storage ").append(root.toAbsolutePath());
            System.out.println(line);
            System.out.flush();
            stopped.await();
            return 0;
        }
    }

    @Command(name = "node", mixinStandardHelpOptions = true,
            description = "Everything in one JVM: DICOM node, starter and workers on all queues; Kafka and Temporal "
                    + "embedded on loopback unless external ones are configured.")
    public static final class All extends Base {
        @Override
        Set<MyoflowNode.Role> roles() {
            return EnumSet.allOf(MyoflowNode.Role.class);
        }
    }

    @Command(name = "starter", mixinStandardHelpOptions = true,
            description = "Consumes myoflow.study.received and starts SegmentationWorkflows (external services).")
    public static final class Starter extends Base {
        @Override
        Set<MyoflowNode.Role> roles() {
            return EnumSet.of(MyoflowNode.Role.STARTER);
        }
    }

    @Command(name = "worker", mixinStandardHelpOptions = true,
            description = "Workers for the given task queues (external services).")
    public static final class Worker extends Base {
        @Option(names = "--queues", split = ",", defaultValue = "gpu,cpu,io",
                description = "Queues to poll: gpu, cpu, io (default all).")
        List<String> queueNames;

        @Override
        Set<MyoflowNode.Role> roles() {
            return EnumSet.of(MyoflowNode.Role.WORKER);
        }

        @Override
        Set<String> queues() {
            Set<String> q = new LinkedHashSet<>();
            for (String n : queueNames) {
                q.add(switch (n.strip()) {
                    case "gpu" -> TaskQueues.GPU;
                    case "cpu" -> TaskQueues.CPU;
                    case "io" -> TaskQueues.IO;
                    default -> throw new IllegalArgumentException("unknown queue " + n + " (gpu, cpu, io)");
                });
            }
            return q;
        }
    }
}
