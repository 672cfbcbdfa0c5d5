/**
 * The VS Code extension: starts the bundled language server (dist/server.cjs) over IPC and keeps it
 * alive. No lint logic lives here; everything comes from the server.
 */
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  RevealOutputChannelOn,
  TransportKind,
  type ErrorHandler,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { RestartPolicy } from './restartPolicy.js';
import { serverEnv } from './serverEnv.js';

const OUTPUT_NAME = 'Readiness';
let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel(OUTPUT_NAME, { log: true });
  context.subscriptions.push(output);

  const serverModule = context.asAbsolutePath('dist/server.cjs');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { env: serverEnv(process.env) } },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { env: serverEnv(process.env), execArgv: ['--nolazy', '--inspect=6019'] } },
  };

  const policy = new RestartPolicy(5, 3 * 60 * 1000);
  const errorHandler: ErrorHandler = {
    // A failed read or write (the server may just have died): log it, never shut down from here, so
    // closed() alone decides whether to restart.
    error: () => ({ action: ErrorAction.Continue, handled: true }),
    closed: () => {
      if (policy.allowRestart()) {
        void vscode.window.showWarningMessage('The Readiness language server stopped unexpectedly and was restarted.');
        return { action: CloseAction.Restart, handled: true };
      }
      void vscode.window
        .showErrorMessage(
          `The Readiness language server stopped ${policy.maxRestarts} times in the last 3 minutes and will not be restarted.`,
          'Show Output',
          'Restart',
        )
        .then((choice) => {
          if (choice === 'Show Output') output.show(true);
          else if (choice === 'Restart') void vscode.commands.executeCommand('readiness.restartServer');
        });
      return { action: CloseAction.DoNotRestart, handled: true };
    },
  };

  const fileEvents = ['**/.readiness.yaml', '**/*.md', '**/*.markdown', '**/CODEOWNERS'].map((glob) =>
    vscode.workspace.createFileSystemWatcher(glob),
  );
  context.subscriptions.push(...fileEvents);

  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'markdown' },
      { scheme: 'untitled', language: 'markdown' },
    ],
    synchronize: { fileEvents },
    // The client forwards file events itself; the server then registers no watchers of its own.
    initializationOptions: { fileEventsFromClient: true },
    outputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    errorHandler,
  };

  // The id `readiness` makes the `readiness.trace.server` setting apply.
  client = new LanguageClient('readiness', 'Readiness', serverOptions, clientOptions);

  context.subscriptions.push(
    vscode.commands.registerCommand('readiness.restartServer', async () => {
      if (!client) return;
      policy.reset();
      try {
        if (client.isRunning()) await client.restart();
        else await client.start();
        output.info('Readiness language server restarted.');
      } catch (e) {
        void vscode.window.showErrorMessage(`Could not restart the Readiness language server: ${e instanceof Error ? e.message : String(e)}`);
      }
    }),
  );

  try {
    await client.start();
  } catch (e) {
    output.error(`Could not start the Readiness language server: ${e instanceof Error ? e.message : String(e)}`);
    void vscode.window.showErrorMessage('The Readiness language server could not start; see the "Readiness" output.');
  }
}

export async function deactivate(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) await c.stop();
}
