package dev.monoscope.sandbox;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import java.nio.file.Path;

/**
 * {@code helm install} through helm-java, as a program of its own: helm-java runs Helm's Go code inside the JVM that
 * loads it, and Go's runtime then takes SIGINT and SIGTERM for itself, so a JVM that installed a chart no longer
 * stops on Ctrl-C. The sandbox therefore runs this in a child JVM. Arguments: chart directory, release, namespace,
 * kubeconfig, then {@code key=value} values.
 */
public final class HelmInstall {

    private HelmInstall() {}

    public static void main(String[] args) {
        if (args.length < 4) {
            System.err.println("usage: HelmInstall <chart-dir> <release> <namespace> <kubeconfig> [key=value...]");
            System.exit(2);
        }
        InstallCommand install = new Helm(Path.of(args[0]))
                .install()
                .withName(args[1])
                .withNamespace(args[2])
                .createNamespace()
                .withKubeConfig(Path.of(args[3]));
        for (int i = 4; i < args.length; i++) {
            String[] pair = args[i].split("=", 2);
            install = install.set(pair[0], pair[1]);
        }
        System.out.println(install.call().getOutput());
        System.exit(0); // Go's threads do not let the JVM end by itself
    }
}
