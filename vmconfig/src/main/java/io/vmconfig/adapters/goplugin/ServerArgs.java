package io.vmconfig.adapters.goplugin;

/**
 * The arguments Velero passes to every plugin: its own server flags ({@code --log-level=info}, {@code --features=},
 * {@code --uploader-type kopia}, ...). All are ignored except {@code --log-level}, in both {@code --k=v} and
 * {@code --k v} form.
 */
public final class ServerArgs {
    private ServerArgs() {}

    public static LogLevel logLevel(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--log-level") || a.equals("-log-level")) {
                if (i + 1 < args.length) {
                    return LogLevel.parse(args[i + 1]);
                }
            } else if (a.startsWith("--log-level=") || a.startsWith("-log-level=")) {
                return LogLevel.parse(a.substring(a.indexOf('=') + 1));
            }
        }
        return LogLevel.INFO;
    }
}
