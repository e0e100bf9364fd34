//! Files in and out of the browser: downloads through a Blob URL, uploads through `File`.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Offers `text` as a download named `file_name`.
pub fn download(file_name: &str, text: &str, mime: &str) -> Result<(), String> {
    let fail = |_| "the browser refused the download".to_string();
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts).map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = document.create_element("a").map_err(fail)?.unchecked_into();
    a.set_href(&url);
    a.set_download(file_name);
    a.click();
    // Revoke later: revoking at once can cancel the download in some browsers.
    leptos::prelude::set_timeout(
        move || drop(web_sys::Url::revoke_object_url(&url)),
        std::time::Duration::from_secs(5),
    );
    Ok(())
}

/// Renders an SVG document into a PNG of `width × height` diagram units at `scale`, and downloads it.
pub fn download_png(file_name: &str, svg: &str, width: f64, height: f64, scale: f64) -> Result<(), String> {
    let fail = |_| "the browser refused to draw the picture".to_string();
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(svg));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("image/svg+xml");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts).map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let image = web_sys::HtmlImageElement::new().map_err(fail)?;
    let canvas: web_sys::HtmlCanvasElement = document.create_element("canvas").map_err(fail)?.unchecked_into();
    canvas.set_width((width * scale).round() as u32);
    canvas.set_height((height * scale).round() as u32);
    let name = file_name.to_string();
    let img = image.clone();
    let url_done = url.clone();
    let onload = wasm_bindgen::closure::Closure::once_into_js(move || {
        let draw = || -> Result<(), wasm_bindgen::JsValue> {
            let ctx: web_sys::CanvasRenderingContext2d = canvas.get_context("2d")?.ok_or("no 2d context")?.unchecked_into();
            ctx.scale(scale, scale)?;
            ctx.draw_image_with_html_image_element_and_dw_and_dh(&img, 0.0, 0.0, width, height)?;
            let data = canvas.to_data_url_with_type("image/png")?;
            let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
            let a: web_sys::HtmlAnchorElement = document.create_element("a")?.unchecked_into();
            a.set_href(&data);
            a.set_download(&name);
            a.click();
            Ok(())
        };
        let _ = draw();
        let _ = web_sys::Url::revoke_object_url(&url_done);
    });
    image.set_onload(Some(onload.unchecked_ref()));
    image.set_src(&url);
    Ok(())
}

/// Opens an HTML document in a new tab (from a Blob URL), where the browser can print or save it.
pub fn open_html(html: &str) -> Result<(), String> {
    let fail = |_| "the browser refused to open the page".to_string();
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(html));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("text/html");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts).map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let window = web_sys::window().ok_or("no window")?;
    window
        .open_with_url_and_target(&url, "_blank")
        .map_err(fail)?
        .ok_or("a pop-up blocker stopped it")?;
    // The new tab keeps its own copy; revoke later so it has time to load.
    leptos::prelude::set_timeout(
        move || drop(web_sys::Url::revoke_object_url(&url)),
        std::time::Duration::from_secs(60),
    );
    Ok(())
}

/// Reads the bytes of a user-chosen file.
pub async fn read_bytes(file: &web_sys::File) -> Result<Vec<u8>, String> {
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| format!("{} could not be read", file.name()))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// A file name made from a plan name: letters, digits, `-` and `_` only, never empty.
pub fn plan_file_name(plan_name: &str) -> String {
    let mut stem: String = plan_name
        .chars()
        .map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    stem.truncate(stem.char_indices().nth(80).map_or(stem.len(), |(i, _)| i));
    if stem.is_empty() {
        stem = "cen-plan".into();
    }
    format!("{stem}.cen-plan.json")
}
