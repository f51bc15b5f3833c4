import { TWO_INCH_WHITE, type Scheme } from '../model';

// The seed's e-commerce (跨境电子商务师) scheme exactly as its 五、成绩构成 and
// 四、专业课程支撑 tables print it. One copy serves the demo data (db/sample.ts)
// and the engine tests, so the two can never drift apart.
export const CBEC_SCHEME: Scheme = {
  code: 'cbec',
  college: '财经学院',
  major: '电子商务',
  occupation: {
    name: '电子商务师-跨境电子商务师',
    related: ['电子商务师', '电子商务师-网商', '电子商务师-跨境电子商务师'],
    xCertificates: ['跨境电商B2B数据运营', '跨境电商B2C数据运营'],
  },
  trainingObjective: 'L4',
  theory: [
    { name: '电子商务概论', semester: '第二学期', weight: '30' },
    { name: '网页设计与制作', semester: '第二学期', weight: '10' },
    { name: '网络营销', semester: '第五学期', weight: '15' },
    { name: '电子商务数据分析与应用', semester: '第六学期', weight: '25' },
    { name: '网店运营与管理', semester: '第六学期', weight: '10' },
    { name: '网上开店与创业', semester: '第八学期', weight: '10' },
  ],
  skill: [
    { name: '电子商务综合模拟实训', semester: '第七学期', weight: '35' },
    { name: '网络店铺图文设计实训', semester: '第三学期', weight: '10' },
    { name: '电商交易平台设计与开发实训', semester: '第四学期', weight: '5' },
    { name: '网络营销', semester: '第五学期', weight: '20' },
    { name: '3D 数字化电商类仿真实训', semester: '第五学期', weight: '15' },
    { name: '网上开店与创业', semester: '第八学期', weight: '15' },
  ],
  areas: [
    { part: 'theory', area: '职业道德', standardWeight: '5', courses: [{ name: '电子商务概论', weight: '5' }] },
    { part: 'theory', area: '基础知识', standardWeight: '25', courses: [{ name: '电子商务概论', weight: '25' }] },
    { part: 'theory', area: '产品及服务信息管理', standardWeight: '10', courses: [{ name: '电子商务数据分析与应用', weight: '10' }] },
    { part: 'theory', area: '线上店铺设计与装修', standardWeight: '10', courses: [{ name: '网页设计与制作', weight: '10' }] },
    { part: 'theory', area: '营销推广', standardWeight: '15', courses: [{ name: '网络营销', weight: '15' }] },
    { part: 'theory', area: '业务处理', standardWeight: '10', courses: [{ name: '网上开店与创业', weight: '10' }] },
    { part: 'theory', area: '客户服务', standardWeight: '10', courses: [{ name: '网店运营与管理', weight: '10' }] },
    { part: 'theory', area: '商务数据分析', standardWeight: '15', courses: [{ name: '电子商务数据分析与应用', weight: '15' }] },
    { part: 'skill', area: '产品及服务信息管理', standardWeight: '20', courses: [{ name: '电子商务综合模拟实训', weight: '20' }] },
    {
      part: 'skill',
      area: '线上店铺设计与装修',
      standardWeight: '15',
      courses: [
        { name: '网络店铺图文设计实训', weight: '10' },
        { name: '电商交易平台设计与开发实训', weight: '5' },
      ],
    },
    { part: 'skill', area: '营销推广', standardWeight: '20', courses: [{ name: '网络营销', weight: '20' }] },
    { part: 'skill', area: '业务处理', standardWeight: '15', courses: [{ name: '3D 数字化电商类仿真实训', weight: '15' }] },
    { part: 'skill', area: '客户服务', standardWeight: '15', courses: [{ name: '电子商务综合模拟实训', weight: '15' }] },
    { part: 'skill', area: '商务数据分析', standardWeight: '15', courses: [{ name: '网上开店与创业', weight: '15' }] },
  ],
  passTheory: '60',
  passSkill: '60',
  // 六、取证条件: 三级 needs a related certificate held 满 12 个月
  holdingMonths: 12,
  courseCertIntegration: false,
  integrationCourse: null,
  technicalGroup: ['技术组成员一', '技术组成员二', '技术组成员三', '技术组成员四', '技术组成员五'],
  photoSpec: TWO_INCH_WHITE,
};
