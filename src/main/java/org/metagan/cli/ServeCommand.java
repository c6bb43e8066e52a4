package org.metagan.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.metagan.core.Engine;
import org.metagan.serve.Dashboard;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code metagan serve}: the web dashboard of a runs folder (docs/WORKFLOW.md, section 5). */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"A web dashboard of a runs folder: the runs with their config and provenance, live loss curves and sample grids "
                + "of running trainings, reports and bench results (read-only), and a few-shot page (upload K images, adapt a "
                + "meta-trained checkpoint of the folder, download the generated set as a zip). Bound to 127.0.0.1 unless --bind "
                + "names another address; then every request needs the token printed at start."})
final class ServeCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--runs", defaultValue = "runs", description = "The runs folder to show; uploads and adaptations are written only into it (default: ${DEFAULT-VALUE}).")
    Path runs;
    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}); any non-loopback address requires the token.")
    String bind;
    @Option(names = "--port", defaultValue = "8080", description = "Port, 0 for any free one (default: ${DEFAULT-VALUE}).")
    int port;
    @Option(names = "--max-files", defaultValue = "50", description = "Images per upload at most (default: ${DEFAULT-VALUE}).")
    int maxFiles;
    @Option(names = "--max-file-kb", defaultValue = "2048", description = "KiB per uploaded image at most (default: ${DEFAULT-VALUE}).")
    int maxFileKb;
    @Option(names = "--threads", defaultValue = "1", description = "Intra-op threads of the adaptations (default: ${DEFAULT-VALUE}).")
    int threads;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535 || maxFiles < 1 || maxFileKb < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "expected --port in [0, 65535], --max-files >= 1 and --max-file-kb >= 1 "
                    + "but found " + port + ", " + maxFiles + ", " + maxFileKb);
        }
        Engine.init(threads, "cpu");
        Dashboard d = Dashboard.start(new Dashboard.Options(bind, port, runs, null, maxFiles, maxFileKb * 1024L));
        String host = bind.contains(":") ? "[" + bind + "]" : bind;
        boolean wildcard = java.net.InetAddress.getByName(bind).isAnyLocalAddress();
        spec.commandLine().getOut().printf("serving %s at http://%s:%d/ (Ctrl-C to stop)%n", d.runsFolder(), host, d.port());
        if (d.token() != null) {
            spec.commandLine().getOut().printf("token (required on every request, as header X-Metagan-Token or ?token=; shown only now): %s%n"
                    + "open: http://%s:%d/?token=%s%n", d.token(), wildcard ? "<this machine>" : host, d.port(), d.token());
        }
        spec.commandLine().getOut().flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            d.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }
}
