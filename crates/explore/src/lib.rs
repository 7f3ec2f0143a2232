//! An interactive terminal explorer of a container image, in the spirit of dive: the layer
//! list, each layer's changes or the file system after it as a tree, and the image's
//! efficiency, waste and build leftovers, all from what `dockstage-image` computes.
//!
//! The image is opened (manifest and config) before any screen is drawn, so an unreadable
//! image fails like `dockstage inspect` does. Layers are then read on a thread that sends
//! each one to the UI loop over a channel, so the layer list shows at once and fills in
//! while a progress line counts the bytes read.
//!
//! [`App`] holds the state and handles keys; [`ui::draw`] draws it on any ratatui backend
//! (tests use `TestBackend`); [`run`] drives a real terminal.
pub mod app;
pub mod history;
pub mod ui;
pub mod view;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant};

use dockstage_image::analysis::{Analysis, AnalyzeOptions, Analyzer};
use dockstage_image::dockerfile_map::Instruction;
use dockstage_image::layer::LayerTree;
use dockstage_image::source::{open_source, LayerMeta, Opened, ReadOptions, Source};
use dockstage_image::ImageError;

pub use app::App;

/// What the reader thread sends to the UI loop.
pub enum Update {
    Layer(LayerMeta, Box<LayerTree>),
    Done(Box<Analysis>),
    Failed(ImageError),
}

/// An image whose manifest and config are read; its layers are not.
pub struct Opening {
    opened: Opened,
}

/// Reads manifest and config: the errors `inspect` gives for a missing or malformed image.
pub fn open(spec: &str) -> Result<Opening, ImageError> {
    let opened = open_source(&Source::parse(spec), &ReadOptions::default())?;
    Ok(Opening { opened })
}

impl Opening {
    /// The app before any layer is read: the layer list from the config's history.
    pub fn app(&self, dockerfile: Option<&[Instruction]>, color: bool) -> App {
        App::new(
            self.opened.name(),
            self.opened.config().history.clone(),
            self.opened.layer_count(),
            dockerfile,
            color,
        )
    }

    /// Reads the layers on a thread; each arrives on the returned channel, then the analysis.
    pub fn start(self) -> Loader {
        let (tx, rx) = mpsc::channel();
        let read = Arc::new(AtomicU64::new(0));
        let counter = read.clone();
        std::thread::spawn(move || {
            let opened = self.opened;
            let progress = move |n: u64| {
                counter.fetch_add(n, Ordering::Relaxed);
            };
            let opts = ReadOptions {
                progress: Some(&progress),
                ..Default::default()
            };
            let mut analyzer = Analyzer::new(opened.config().history.clone());
            let result = opened.for_each_layer(&opts, |meta, tree| {
                // The UI gets its copy first so the tree pane fills while the analysis runs.
                let _ = tx.send(Update::Layer(meta.clone(), Box::new(tree.clone())));
                analyzer.push(meta, tree);
            });
            let msg = match result {
                Ok(()) => {
                    let (analysis, _) = analyzer.finish(
                        opened.name(),
                        opened.format(),
                        opened.repo_tags(),
                        &AnalyzeOptions::default(),
                    );
                    Update::Done(Box::new(analysis))
                }
                Err(e) => Update::Failed(e),
            };
            let _ = tx.send(msg);
        });
        Loader { rx, read }
    }
}

/// The UI side of the reader thread.
pub struct Loader {
    pub rx: Receiver<Update>,
    /// Source bytes read so far.
    pub read: Arc<AtomicU64>,
}

/// Applies one update; an error ends the exploration.
pub fn apply(app: &mut App, update: Update) -> Result<(), ImageError> {
    match update {
        Update::Layer(meta, tree) => app.push_layer(meta, &tree),
        Update::Done(a) => app.finish(*a),
        Update::Failed(e) => return Err(e),
    }
    Ok(())
}

/// Reads the whole image, then returns the app: what tests and non-interactive callers use.
pub fn load(spec: &str, dockerfile: Option<&[Instruction]>, color: bool) -> Result<App, ImageError> {
    let opening = open(spec)?;
    let mut app = opening.app(dockerfile, color);
    let loader = opening.start();
    for u in loader.rx.iter() {
        apply(&mut app, u)?;
    }
    Ok(app)
}

/// How `run` is set up by its caller.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    pub color: bool,
    /// Bytes the source holds, for the progress line (0: count layers instead).
    pub source_bytes: u64,
}

/// The explorer on the process's terminal until `q`. Errors come back as the same
/// [`ImageError`]s `inspect` reports; the terminal is restored on every way out.
pub fn run(spec: &str, dockerfile: Option<&[Instruction]>, opts: Options) -> Result<(), RunError> {
    let opening = open(spec)?;
    let mut app = opening.app(dockerfile, opts.color);
    app.bytes_total = opts.source_bytes;
    let loader = opening.start();
    // A small image is read in this time: its errors then show before any screen does.
    let deadline = Instant::now() + Duration::from_millis(150);
    while app.loading() {
        let left = deadline.saturating_duration_since(Instant::now());
        match loader.rx.recv_timeout(left) {
            Ok(u) => apply(&mut app, u)?,
            Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    let mut term = Screen::enter()?;
    let result = event_loop(&mut term, &mut app, &loader);
    drop(term);
    result
}

fn event_loop(term: &mut Screen, app: &mut App, loader: &Loader) -> Result<(), RunError> {
    use crossterm::event::{self, Event, KeyEventKind};
    let mut dirty = true;
    loop {
        let read = loader.read.load(Ordering::Relaxed);
        if app.loading() && read != app.bytes_read {
            app.bytes_read = read;
            dirty = true;
        }
        if dirty {
            term.terminal.draw(|f| ui::draw(f, app))?;
            dirty = false;
        }
        if app.quit {
            return Ok(());
        }
        // One layer at a time keeps keys answered between big layers.
        if let Ok(u) = loader.rx.try_recv() {
            apply(app, u)?;
            dirty = true;
            continue;
        }
        let wait = if app.loading() { 100 } else { 1000 };
        if event::poll(Duration::from_millis(wait))? {
            match event::read()? {
                Event::Key(k) if k.kind != KeyEventKind::Release => {
                    app.key(k);
                    dirty = true;
                }
                Event::Resize(..) => dirty = true,
                _ => {}
            }
        }
    }
}

/// Why `run` stopped early.
#[derive(Debug)]
pub enum RunError {
    Image(ImageError),
    Terminal(std::io::Error),
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::Image(e) => e.fmt(f),
            RunError::Terminal(e) => write!(f, "terminal: {e}"),
        }
    }
}

impl std::error::Error for RunError {}

impl From<ImageError> for RunError {
    fn from(e: ImageError) -> Self {
        RunError::Image(e)
    }
}

impl From<std::io::Error> for RunError {
    fn from(e: std::io::Error) -> Self {
        RunError::Terminal(e)
    }
}

type Term = ratatui::Terminal<ratatui::backend::CrosstermBackend<std::io::Stdout>>;

/// The alternate screen in raw mode; leaving it (drop, or a panic) restores the terminal.
struct Screen {
    terminal: Term,
}

static ON_SCREEN: AtomicBool = AtomicBool::new(false);

fn restore_terminal() {
    if ON_SCREEN.swap(false, Ordering::SeqCst) {
        let _ = crossterm::terminal::disable_raw_mode();
        let _ = crossterm::execute!(
            std::io::stdout(),
            crossterm::terminal::LeaveAlternateScreen,
            crossterm::cursor::Show
        );
    }
}

impl Screen {
    fn enter() -> std::io::Result<Screen> {
        static HOOK: std::sync::Once = std::sync::Once::new();
        HOOK.call_once(|| {
            let previous = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                // The message must land on the normal screen, in cooked mode, to be read.
                restore_terminal();
                previous(info);
            }));
        });
        crossterm::terminal::enable_raw_mode()?;
        ON_SCREEN.store(true, Ordering::SeqCst);
        if let Err(e) = crossterm::execute!(
            std::io::stdout(),
            crossterm::terminal::EnterAlternateScreen,
            crossterm::cursor::Hide
        ) {
            restore_terminal();
            return Err(e);
        }
        match ratatui::Terminal::new(ratatui::backend::CrosstermBackend::new(std::io::stdout())) {
            Ok(terminal) => Ok(Screen { terminal }),
            Err(e) => {
                restore_terminal();
                Err(e)
            }
        }
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        restore_terminal();
    }
}
