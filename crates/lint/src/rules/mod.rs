//! The rule registry. Registering a rule is adding its module here and one line to [`ALL`].

pub(crate) mod fixes;
pub(crate) mod prelude;

macro_rules! declare_rule {
    (@fix) => { None };
    (@fix $fix:ident) => { Some($crate::fix::Applicability::$fix) };
    ($ty:ident { id: $id:expr, name: $name:expr, severity: $sev:ident, origin: $origin:ident, summary: $summary:expr, source: $src:expr $(, fix: $fix:ident)? $(,)? }
     fn check($ctx:ident, $out:ident) $body:block) => {
        pub struct $ty;
        pub static META: $crate::RuleMeta = $crate::RuleMeta {
            id: $id,
            name: $name,
            severity: $crate::Severity::$sev,
            origin: $crate::Origin::$origin,
            summary: $summary,
            source: $src,
            fix: declare_rule!(@fix $($fix)?),
        };
        impl $crate::Rule for $ty {
            fn meta(&self) -> &'static $crate::RuleMeta {
                &META
            }
            #[allow(unused_variables)]
            fn check(&self, $ctx: &$crate::Context, $out: &mut Vec<$crate::Finding>) $body
        }
    };
}
pub(crate) use declare_rule;

mod consistent_instruction_casing;
mod copy_ignored_file;
mod dl1001;
mod dl3000;
mod dl3001;
mod dl3002;
mod dl3003;
mod dl3004;
mod dl3006;
mod dl3007;
mod dl3008;
mod dl3009;
mod dl3011;
mod dl3012;
mod dl3013;
mod dl3014;
mod dl3015;
mod dl3016;
mod dl3018;
mod dl3019;
mod dl3020;
mod dl3021;
mod dl3022;
mod dl3023;
mod dl3024;
mod dl3025;
mod dl3026;
mod dl3027;
mod dl3028;
mod dl3029;
mod dl3030;
mod dl3032;
mod dl3033;
mod dl3034;
mod dl3035;
mod dl3036;
mod dl3037;
mod dl3038;
mod dl3040;
mod dl3041;
mod dl3042;
mod dl3043;
mod dl3044;
mod dl3045;
mod dl3046;
mod dl3047;
mod dl3048;
mod dl3049;
mod dl3050;
mod dl3051;
mod dl3052;
mod dl3053;
mod dl3054;
mod dl3055;
mod dl3056;
mod dl3057;
mod dl3058;
mod dl3059;
mod dl3060;
mod dl3061;
mod dl3062;
mod dl3063;
mod dl3064;
mod dl3065;
mod dl3066;
mod dl3067;
mod dl4000;
mod dl4001;
mod dl4003;
mod dl4004;
mod dl4005;
mod dl4006;
mod ds001;
mod ds002;
mod ds003;
mod ds004;
mod ds005;
mod ds006;
mod ds007;
mod ds008;
mod ds009;
mod ds010;
mod ds011;
mod ds012;
mod ds013;
mod ds014;
mod duplicate_stage_name;
mod expose_invalid_format;
mod expose_proto_casing;
mod from_as_casing;
mod from_platform_flag_const_disallowed;
mod invalid_base_image_platform;
pub use invalid_base_image_platform::unchecked_base_images;
mod invalid_check_directive;
mod invalid_default_arg_in_from;
mod invalid_definition_description;
mod json_args_recommended;
mod legacy_key_value_format;
mod maintainer_deprecated;
mod multiple_instructions_disallowed;
mod no_empty_continuation;
mod redundant_target_platform;
mod reserved_stage_name;
mod secrets_used_in_arg_or_env;
mod stage_name_casing;
mod undefined_arg_in_from;
mod undefined_var;
mod workdir_relative_path;

/// Every rule: hadolint's, then BuildKit's, then dockstage's.
pub static ALL: &[&dyn crate::Rule] = &[
    &dl1001::Dl1001,
    &dl3000::Dl3000,
    &dl3001::Dl3001,
    &dl3002::Dl3002,
    &dl3003::Dl3003,
    &dl3004::Dl3004,
    &dl3006::Dl3006,
    &dl3007::Dl3007,
    &dl3008::Dl3008,
    &dl3009::Dl3009,
    &dl3011::Dl3011,
    &dl3012::Dl3012,
    &dl3013::Dl3013,
    &dl3014::Dl3014,
    &dl3015::Dl3015,
    &dl3016::Dl3016,
    &dl3018::Dl3018,
    &dl3019::Dl3019,
    &dl3020::Dl3020,
    &dl3021::Dl3021,
    &dl3022::Dl3022,
    &dl3023::Dl3023,
    &dl3024::Dl3024,
    &dl3025::Dl3025,
    &dl3026::Dl3026,
    &dl3027::Dl3027,
    &dl3028::Dl3028,
    &dl3029::Dl3029,
    &dl3030::Dl3030,
    &dl3032::Dl3032,
    &dl3033::Dl3033,
    &dl3034::Dl3034,
    &dl3035::Dl3035,
    &dl3036::Dl3036,
    &dl3037::Dl3037,
    &dl3038::Dl3038,
    &dl3040::Dl3040,
    &dl3041::Dl3041,
    &dl3042::Dl3042,
    &dl3043::Dl3043,
    &dl3044::Dl3044,
    &dl3045::Dl3045,
    &dl3046::Dl3046,
    &dl3047::Dl3047,
    &dl3048::Dl3048,
    &dl3049::Dl3049,
    &dl3050::Dl3050,
    &dl3051::Dl3051,
    &dl3052::Dl3052,
    &dl3053::Dl3053,
    &dl3054::Dl3054,
    &dl3055::Dl3055,
    &dl3056::Dl3056,
    &dl3057::Dl3057,
    &dl3058::Dl3058,
    &dl3059::Dl3059,
    &dl3060::Dl3060,
    &dl3061::Dl3061,
    &dl3062::Dl3062,
    &dl3063::Dl3063,
    &dl3064::Dl3064,
    &dl3065::Dl3065,
    &dl3066::Dl3066,
    &dl3067::Dl3067,
    &dl4000::Dl4000,
    &dl4001::Dl4001,
    &dl4003::Dl4003,
    &dl4004::Dl4004,
    &dl4005::Dl4005,
    &dl4006::Dl4006,
    &consistent_instruction_casing::ConsistentInstructionCasing,
    &copy_ignored_file::CopyIgnoredFile,
    &duplicate_stage_name::DuplicateStageName,
    &expose_invalid_format::ExposeInvalidFormat,
    &expose_proto_casing::ExposeProtoCasing,
    &from_as_casing::FromAsCasing,
    &from_platform_flag_const_disallowed::FromPlatformFlagConstDisallowed,
    &invalid_base_image_platform::InvalidBaseImagePlatform,
    &invalid_default_arg_in_from::InvalidDefaultArgInFrom,
    &invalid_definition_description::InvalidDefinitionDescription,
    &json_args_recommended::JSONArgsRecommended,
    &legacy_key_value_format::LegacyKeyValueFormat,
    &maintainer_deprecated::MaintainerDeprecated,
    &multiple_instructions_disallowed::MultipleInstructionsDisallowed,
    &no_empty_continuation::NoEmptyContinuation,
    &redundant_target_platform::RedundantTargetPlatform,
    &reserved_stage_name::ReservedStageName,
    &secrets_used_in_arg_or_env::SecretsUsedInArgOrEnv,
    &stage_name_casing::StageNameCasing,
    &undefined_arg_in_from::UndefinedArgInFrom,
    &undefined_var::UndefinedVar,
    &workdir_relative_path::WorkdirRelativePath,
    &ds001::Ds001,
    &ds002::Ds002,
    &ds003::Ds003,
    &ds004::Ds004,
    &ds005::Ds005,
    &ds006::Ds006,
    &ds007::Ds007,
    &ds008::Ds008,
    &ds009::Ds009,
    &ds010::Ds010,
    &ds011::Ds011,
    &ds012::Ds012,
    &ds013::Ds013,
    &ds014::Ds014,
    &invalid_check_directive::InvalidCheckDirective,
];
