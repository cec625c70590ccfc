//! The kinds of API change and whether each breaks users of the generated
//! crate, as this project generates it.
//!
//! The rules follow from the shape of the generated code: models and
//! `Scope` are `#[non_exhaustive]` and enums are open, so additions are
//! never breaking; anything removed, retyped or renamed in Rust is; a
//! change of verb, path, binding or base URL sends calls somewhere else and
//! is breaking too; a new *required* parameter adds a positional argument.

/// A kind of change. The `snake_case` name is the `kind` in reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// The root URL changed: calls go to another host.
    BaseUrlChanged,
    /// The service path changed: calls go to other paths.
    ServicePathChanged,
    /// A scope was removed: its `Scope` variant goes away.
    ScopeRemoved,
    /// A scope was added (`Scope` is `#[non_exhaustive]`).
    ScopeAdded,
    /// A method was removed.
    MethodRemoved,
    /// A method was added.
    MethodAdded,
    /// A method's HTTP verb changed.
    HttpMethodChanged,
    /// A method's path template changed.
    PathChanged,
    /// A path parameter's pattern (binding) changed: values that fitted may not.
    ParameterPatternChanged,
    /// A method's request body type changed.
    RequestChanged,
    /// What a method's `send` returns changed: its response type, or, for
    /// a method without one, whether it streams content (`Download`, when
    /// the method supports media download) or returns `()`.
    ResponseChanged,
    /// A scope no longer authorizes a method.
    MethodScopeRemoved,
    /// A scope now authorizes a method too.
    MethodScopeAdded,
    /// A method was marked deprecated.
    MethodDeprecated,
    /// A method lost paging (`pages()`).
    PagingRemoved,
    /// A method gained paging.
    PagingAdded,
    /// A list call lost its item stream (`items()`), or its items are now
    /// another field: code that read them breaks.
    ItemsRemoved,
    /// A list call gained an item stream.
    ItemsAdded,
    /// A method no longer starts a pollable long-running operation
    /// (`poller()` goes away).
    LongRunningRemoved,
    /// A method now starts a pollable long-running operation (`poller()`).
    LongRunningAdded,
    /// A method lost media download.
    MediaDownloadRemoved,
    /// A method gained media download.
    MediaDownloadAdded,
    /// A method lost media upload.
    MediaUploadRemoved,
    /// A method gained media upload.
    MediaUploadAdded,
    /// A parameter was removed.
    ParameterRemoved,
    /// A required parameter was added: a new positional argument.
    RequiredParameterAdded,
    /// An optional parameter was added: a new setter.
    ParameterAdded,
    /// An optional parameter became required.
    ParameterMadeRequired,
    /// A required parameter became optional: the argument becomes a setter.
    ParameterMadeOptional,
    /// A parameter's type, format or repetition changed.
    ParameterTypeChanged,
    /// A parameter moved between path and query.
    ParameterLocationChanged,
    /// A parameter was marked deprecated.
    ParameterDeprecated,
    /// A schema was removed.
    SchemaRemoved,
    /// A schema was added.
    SchemaAdded,
    /// A schema changed between object and another type.
    SchemaTypeChanged,
    /// A schema was marked deprecated.
    SchemaDeprecated,
    /// A field was removed.
    FieldRemoved,
    /// A field was added (models are `#[non_exhaustive]`).
    FieldAdded,
    /// A field's type changed.
    FieldTypeChanged,
    /// A field was marked deprecated.
    FieldDeprecated,
    /// An enum value was removed: its variant goes away.
    EnumValueRemoved,
    /// An enum value was added (enums are open).
    EnumValueAdded,
    /// An enum value was marked deprecated.
    EnumValueDeprecated,
    /// A typed resource name went away: no method binds its template any more.
    ResourceNameRemoved,
    /// A typed resource name was added: a method binds a new template.
    ResourceNameAdded,
    /// An item kept its spec name but its Rust name changed (a new
    /// neighbour won a name collision).
    RenamedInRust,
    /// Only a description changed.
    DescriptionChanged,
}

impl Kind {
    /// Whether the change breaks users of the generated crate.
    pub fn breaking(self) -> bool {
        use Kind::*;
        match self {
            BaseUrlChanged
            | ServicePathChanged
            | ScopeRemoved
            | MethodRemoved
            | HttpMethodChanged
            | PathChanged
            | ParameterPatternChanged
            | RequestChanged
            | ResponseChanged
            | MethodScopeRemoved
            | PagingRemoved
            | ItemsRemoved
            | LongRunningRemoved
            | MediaDownloadRemoved
            | MediaUploadRemoved
            | ParameterRemoved
            | RequiredParameterAdded
            | ParameterMadeRequired
            | ParameterMadeOptional
            | ParameterTypeChanged
            | ParameterLocationChanged
            | SchemaRemoved
            | SchemaTypeChanged
            | FieldRemoved
            | FieldTypeChanged
            | EnumValueRemoved
            | ResourceNameRemoved
            | RenamedInRust => true,
            ScopeAdded | MethodAdded | MethodScopeAdded | MethodDeprecated | PagingAdded
            | ItemsAdded | LongRunningAdded | MediaDownloadAdded | MediaUploadAdded
            | ParameterAdded | ParameterDeprecated | SchemaAdded | SchemaDeprecated
            | FieldAdded | FieldDeprecated | EnumValueAdded | EnumValueDeprecated
            | ResourceNameAdded | DescriptionChanged => false,
        }
    }

    /// Whether the change is to documentation only.
    pub fn documentation(self) -> bool {
        self == Kind::DescriptionChanged
    }

    /// The `snake_case` name, such as `scope_removed`.
    pub fn as_str(self) -> &'static str {
        use Kind::*;
        match self {
            BaseUrlChanged => "base_url_changed",
            ServicePathChanged => "service_path_changed",
            ScopeRemoved => "scope_removed",
            ScopeAdded => "scope_added",
            MethodRemoved => "method_removed",
            MethodAdded => "method_added",
            HttpMethodChanged => "http_method_changed",
            PathChanged => "path_changed",
            ParameterPatternChanged => "parameter_pattern_changed",
            RequestChanged => "request_changed",
            ResponseChanged => "response_changed",
            MethodScopeRemoved => "method_scope_removed",
            MethodScopeAdded => "method_scope_added",
            MethodDeprecated => "method_deprecated",
            PagingRemoved => "paging_removed",
            PagingAdded => "paging_added",
            ItemsRemoved => "items_removed",
            ItemsAdded => "items_added",
            LongRunningRemoved => "long_running_removed",
            LongRunningAdded => "long_running_added",
            MediaDownloadRemoved => "media_download_removed",
            MediaDownloadAdded => "media_download_added",
            MediaUploadRemoved => "media_upload_removed",
            MediaUploadAdded => "media_upload_added",
            ParameterRemoved => "parameter_removed",
            RequiredParameterAdded => "required_parameter_added",
            ParameterAdded => "parameter_added",
            ParameterMadeRequired => "parameter_made_required",
            ParameterMadeOptional => "parameter_made_optional",
            ParameterTypeChanged => "parameter_type_changed",
            ParameterLocationChanged => "parameter_location_changed",
            ParameterDeprecated => "parameter_deprecated",
            SchemaRemoved => "schema_removed",
            SchemaAdded => "schema_added",
            SchemaTypeChanged => "schema_type_changed",
            SchemaDeprecated => "schema_deprecated",
            FieldRemoved => "field_removed",
            FieldAdded => "field_added",
            FieldTypeChanged => "field_type_changed",
            FieldDeprecated => "field_deprecated",
            EnumValueRemoved => "enum_value_removed",
            EnumValueAdded => "enum_value_added",
            EnumValueDeprecated => "enum_value_deprecated",
            ResourceNameRemoved => "resource_name_removed",
            ResourceNameAdded => "resource_name_added",
            RenamedInRust => "renamed_in_rust",
            DescriptionChanged => "description_changed",
        }
    }
}
