//! The directory's closed vocabularies: what an entry is, its sectors, services, regions,
//! languages, size and stage, each with a machine code and the bilingual words the index matches.
//!
//! The labels here are search words, indexed with every entry so that "testing" and "檢測" find
//! testing laboratories and "Chongqing" and "重慶" find entries serving Chongqing.
//! Display names for the web pages live in the web crate's catalogs, keyed by `code()`.

use crate::codes::code_enum;

code_enum! {
    /// What kind of profile a directory entry is.
    pub enum Kind as "kind" {
        /// A manufacturer or other enterprise.
        Enterprise => "enterprise", "enterprise manufacturer", "企業", "廠商 公司";
        /// An investor (fund, family office, corporate venture arm, bank).
        Investor => "investor", "investor", "投資者", "投資 基金 fund";
        /// A producer-service provider (testing, finance, law, logistics ...).
        Provider => "provider", "service provider", "服務提供者", "服務商";
        /// An industrial site or park.
        Site => "site", "industrial site park", "工業用地", "產業園 工業園";
        /// A pilot project seeking investment.
        Project => "project", "pilot project", "試點項目", "項目";
    }
}

code_enum! {
    /// An industry sector of the new industrialisation.
    pub enum Sector as "sector" {
        /// Electric vehicles.
        Ev => "ev", "electric vehicles", "電動車", "EV 新能源汽車 新能源車";
        /// Batteries for electric vehicles.
        EvBatteries => "ev_batteries", "EV batteries", "電動車電池", "battery 動力電池 電池";
        /// Semiconductors.
        Semiconductors => "semiconductors", "semiconductors", "半導體", "chips 芯片 晶片";
        /// Microelectronics.
        Microelectronics => "microelectronics", "microelectronics", "微電子", "";
        /// Biomedical products and life sciences.
        Biomedical => "biomedical", "biomedical", "生物醫藥", "life sciences 生物科技";
        /// New and advanced materials.
        NewMaterials => "new_materials", "new materials", "新材料", "advanced materials";
        /// Food manufacturing.
        Food => "food", "food", "食品", "";
        /// Textiles and clothing.
        Textiles => "textiles", "textiles", "紡織", "clothing 服裝";
        /// Electronics.
        Electronics => "electronics", "electronics", "電子", "電子產品";
        /// Robotics.
        Robotics => "robotics", "robotics", "機械人", "robots 機器人";
        /// Artificial intelligence.
        Ai => "ai", "artificial intelligence", "人工智能", "AI";
        /// Smart manufacturing.
        SmartManufacturing => "smart_manufacturing", "smart manufacturing", "智能製造", "industry 4.0";
        /// Precision engineering.
        PrecisionEngineering => "precision_engineering", "precision engineering", "精密工程", "精密";
        /// Green and environmental technology.
        GreenTech => "green_tech", "green technology", "綠色科技", "環保 cleantech";
        /// Logistics technology.
        LogisticsTech => "logistics_tech", "logistics technology", "物流科技", "";
    }
}

code_enum! {
    /// A producer service: offered by providers and sites, needed by enterprises and projects.
    pub enum Service as "service" {
        /// Finance and financing.
        Finance => "finance", "finance and financing", "融資及金融", "融資 金融 banking";
        /// Insurance.
        Insurance => "insurance", "insurance", "保險", "";
        /// Consulting on government policy and funding schemes.
        PolicyConsulting => "policy_consulting", "policy consulting", "政策諮詢", "政策 顧問 government funding";
        /// Legal services.
        Law => "law", "legal services", "法律服務", "law lawyers 律師";
        /// Accounting and tax.
        Accounting => "accounting", "accounting and tax", "會計及稅務", "會計 稅務 audit";
        /// Brand promotion and marketing.
        BrandPromotion => "brand_promotion", "brand promotion", "品牌推廣", "marketing 市場推廣";
        /// Intellectual property.
        Ip => "ip", "intellectual property", "知識產權", "patents 專利 IP";
        /// Logistics.
        Logistics => "logistics", "logistics", "物流", "shipping 運輸";
        /// Testing and certification.
        TestingCertification => "testing_certification", "testing and certification", "測試及認證", "檢測 測試 認證 laboratory lab";
        /// Research and development.
        Rnd => "rnd", "research and development", "研發", "R&D 研究";
        /// Industrial design.
        Design => "design", "industrial design", "工業設計", "設計";
        /// Pilot plant (trial production).
        PilotPlant => "pilot_plant", "pilot plant", "中試基地", "中試 試產 trial production";
        /// Support for smart manufacturing (automation, MES, IoT).
        SmartManufacturingSupport => "smart_manufacturing_support", "smart manufacturing support", "智能製造支援", "automation 自動化";
        /// Human resources and training.
        HrTraining => "hr_training", "human resources and training", "人力資源及培訓", "人力資源 培訓 recruitment";
        /// E-commerce.
        Ecommerce => "ecommerce", "e-commerce", "電子商貿", "電商 online sales";
    }
}

code_enum! {
    /// A region served: Hong Kong, the Greater Bay Area cities, Chongqing, the rest of the
    /// Mainland, and Southeast Asian countries.
    pub enum Region as "region" {
        /// Hong Kong.
        Hk => "hk", "Hong Kong", "香港", "HK";
        /// Shenzhen.
        Shenzhen => "shenzhen", "Shenzhen", "深圳", "";
        /// Guangzhou.
        Guangzhou => "guangzhou", "Guangzhou", "廣州", "";
        /// Dongguan.
        Dongguan => "dongguan", "Dongguan", "東莞", "";
        /// Foshan.
        Foshan => "foshan", "Foshan", "佛山", "";
        /// Huizhou.
        Huizhou => "huizhou", "Huizhou", "惠州", "";
        /// Zhuhai.
        Zhuhai => "zhuhai", "Zhuhai", "珠海", "";
        /// Zhongshan.
        Zhongshan => "zhongshan", "Zhongshan", "中山", "";
        /// Jiangmen.
        Jiangmen => "jiangmen", "Jiangmen", "江門", "";
        /// Zhaoqing.
        Zhaoqing => "zhaoqing", "Zhaoqing", "肇慶", "";
        /// Macao.
        Macao => "macao", "Macao", "澳門", "Macau";
        /// Chongqing.
        Chongqing => "chongqing", "Chongqing", "重慶", "";
        /// The rest of the Mainland.
        OtherMainland => "other_mainland", "Mainland China", "內地", "mainland 中國內地";
        /// Vietnam.
        Vietnam => "vietnam", "Vietnam", "越南", "";
        /// Thailand.
        Thailand => "thailand", "Thailand", "泰國", "";
        /// Malaysia.
        Malaysia => "malaysia", "Malaysia", "馬來西亞", "";
        /// Indonesia.
        Indonesia => "indonesia", "Indonesia", "印尼", "印度尼西亞";
        /// Singapore.
        Singapore => "singapore", "Singapore", "新加坡", "";
        /// The Philippines.
        Philippines => "philippines", "Philippines", "菲律賓", "";
    }
}

code_enum! {
    /// A working language of an entry.
    pub enum Language as "language" {
        /// English.
        En => "en", "English", "英語", "";
        /// Cantonese.
        Yue => "yue", "Cantonese", "粵語", "廣東話";
        /// Putonghua (Mandarin).
        Cmn => "cmn", "Putonghua", "普通話", "Mandarin";
        /// Vietnamese.
        Vi => "vi", "Vietnamese", "越南語", "";
        /// Thai.
        Th => "th", "Thai", "泰語", "";
        /// Malay.
        Ms => "ms", "Malay", "馬來語", "";
        /// Indonesian.
        Id => "id", "Indonesian", "印尼語", "";
        /// Japanese.
        Ja => "ja", "Japanese", "日語", "";
        /// Korean.
        Ko => "ko", "Korean", "韓語", "";
    }
}

code_enum! {
    /// Size by staff.
    pub enum SizeBand as "size band" {
        /// Fewer than 10 staff.
        Micro => "micro", "micro", "微型", "";
        /// 10 to 49 staff.
        Small => "small", "small", "小型", "";
        /// 50 to 249 staff.
        Medium => "medium", "medium", "中型", "";
        /// 250 staff or more.
        Large => "large", "large", "大型", "";
    }
}

code_enum! {
    /// The maturity of a pilot project, and the stages an investor funds.
    ///
    /// Maturity rather than funding-round names (seed, series A ...), because pilot projects
    /// of the new industrialisation are judged by how close the plant is to production.
    pub enum Stage as "stage" {
        /// An idea or feasibility study.
        Idea => "idea", "idea", "構思", "feasibility 可行性";
        /// A working prototype.
        Prototype => "prototype", "prototype", "原型", "樣機";
        /// A pilot line or trial production.
        Pilot => "pilot", "pilot production", "試產", "中試";
        /// Scaling up to volume production.
        ScaleUp => "scale_up", "scale-up", "擴產", "量產";
        /// In commercial operation.
        Operating => "operating", "operating", "營運", "投產";
    }
}

impl Kind {
    /// Whether the entry's `services` are services it offers (providers, sites) rather than
    /// services it needs (enterprises, projects, investors).
    pub fn offers_services(self) -> bool {
        matches!(self, Kind::Provider | Kind::Site)
    }
}
