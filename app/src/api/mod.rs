//! Server functions, grouped by concern. Each public function is the typed client/server
//! boundary; its server-side body lives in the module's `ssr` submodule.

pub mod locale;
